import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type {
  ProviderKind,
  ProviderRecord,
} from "../../ingest/provider/index.js";
import { TemporaryFolder } from "../../ingest/provider/test-support.js";
import { buildRoute } from "./build-route.js";
import { routeInputFromRecords } from "./provider-records.js";

const folder = new TemporaryFolder();

beforeAll(() => folder.create());
afterAll(() => folder.remove());

async function recordsOf(
  kind: ProviderKind,
  name: string,
  content: string,
): Promise<ProviderRecord[]> {
  const validation = await folder.validate(name, content, { kind });
  expect(validation.rowsRejected, `${name} has rejected rows`).toBe(0);
  return validation.records;
}

const GPS =
  "subject,tracked_at,ended_at,latitude,longitude,accuracy_meters,place_name\n" +
  "P1,2024-03-05T08:00:00+09:00,,37.5665,126.9780,12,\n" +
  "P1,2024-03-05T08:06:00+09:00,,37.5666,126.9781,,\n" +
  "P1,2024-03-05T09:00:00+09:00,2024-03-05T09:40:00+09:00,37.5700,126.9900,,도서관\n";

const BASE_STATION =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters\n" +
  "010-1234-5678,2024-03-05T10:00:00+09:00,C1,micro,37.5600,126.9800,\n" +
  "010-1234-5678,2024-03-05T10:30:00+09:00,C1,micro,37.5600,126.9800,250\n";

const CARD =
  "card_number,paid_at,merchant_name,business_category,address,latitude,longitude,amount_krw\n" +
  '9430-12**-****-5678,2024-03-05T12:40:00+09:00,명동칼국수,한식,,37.5625,126.9856,"9,000"\n' +
  "9430-12**-****-5678,2024-03-05T13:02:00+09:00,GS25 명동점,편의점,서울특별시 중구 명동길 14,,,2400\n";

const CHECKIN =
  "subject,venue_name,latitude,longitude,checked_in_at,checked_out_at\n" +
  "P1,카페 온,37.5650,126.9790,2024-03-05T15:00:00+09:00,2024-03-05T15:45:00+09:00\n" +
  "P1,카페 온,37.5650,126.9790,2024-03-05T17:00:00+09:00,\n";

const INTERVIEW =
  "subject,place_name,latitude,longitude,visit_date,arrived_at,departed_at\n" +
  "P1,직장,37.5700,126.9820,2024-03-06,,\n" +
  "P1,명동 약국,37.5630,126.9850,2024-03-05,18:20,\n";

describe("routeInputFromRecords", () => {
  it("sorts records of every kind into the route input", async () => {
    const records = [
      ...(await recordsOf("gps", "track.csv", GPS)),
      ...(await recordsOf("base-station", "skt.csv", BASE_STATION)),
      ...(await recordsOf("card", "card.csv", CARD)),
      ...(await recordsOf("checkin", "qr.csv", CHECKIN)),
      ...(await recordsOf("interview", "interview.csv", INTERVIEW)),
    ];
    const { input, unplaced } = routeInputFromRecords("P1", records);

    expect(input.gpsFixes?.map((fix) => fix.id)).toEqual([
      "track.csv:1",
      "track.csv:2",
    ]);
    expect(input.gpsFixes?.[0]?.accuracyMeters).toBe(12);
    expect(input.cellRecords?.map((record) => record.radiusMeters)).toEqual([
      300, 250,
    ]);
    expect(input.cellRecords?.[0]?.cellId).toBe("C1");
    expect(input.cardTransactions?.[0]).toMatchObject({
      merchantName: "명동칼국수",
      businessCategory: "한식",
      amountKrw: 9000,
    });
    expect(
      input.checkIns?.map((checkIn) => checkIn.checkedOutAt === null),
    ).toEqual([false, true]);

    const visits = input.visits ?? [];
    expect(visits.map((visit) => [visit.source, visit.placeName])).toEqual([
      ["gps", "도서관"],
      ["interview", "명동 약국"],
      ["interview", "직장"],
    ]);
    expect(visits[1]?.endedAt).toBeNull();
    expect(visits[2]?.visitDate).toBe("2024-03-06");

    expect(unplaced).toEqual([
      {
        kind: "card",
        recordId: "card.csv:2",
        reason:
          "The record has no latitude and longitude; geocode its address first.",
      },
    ]);
  });

  it("builds a route from the records", async () => {
    const records = [
      ...(await recordsOf("card", "card.csv", CARD)),
      ...(await recordsOf("checkin", "qr.csv", CHECKIN)),
    ];
    const route = buildRoute(routeInputFromRecords("P1", records).input);

    expect(route.stays.map((stay) => stay.placeLabel)).toEqual([
      "명동칼국수",
      "카페 온",
      "카페 온",
    ]);
  });
});
