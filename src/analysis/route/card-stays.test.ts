import { describe, expect, it } from "vitest";

import {
  DEFAULT_CARD_DWELLS,
  DEFAULT_OTHER_CARD_DWELL,
  findCardDwell,
} from "./card-dwell.js";
import {
  detectCardStays,
  type CardStayOptions,
  type CardTransaction,
} from "./card-stays.js";
import { sourceStaysToGeoJson } from "./geojson.js";
import {
  at,
  deepFreeze,
  expectGolden,
  cardTransactionOf,
  minute,
  minutesOf,
  readGolden,
} from "./testing.js";

function payment(
  minutes: number,
  merchantName: string,
  businessCategory: string | null,
  extra: Partial<CardTransaction> = {},
): CardTransaction {
  return {
    id: `${merchantName}@${minutes}`,
    paidAt: minute(minutes),
    merchantName,
    businessCategory,
    ...at(100),
    ...extra,
  };
}

function stays(
  transactions: readonly CardTransaction[],
  options: CardStayOptions = {},
) {
  return detectCardStays("P1", transactions, options).stays;
}

describe("findCardDwell", () => {
  const cases: [string | null, string, string][] = [
    ["한식", "명동칼국수", "restaurant"],
    ["편의점", "GS25 명동점", "convenience_store"],
    [null, "이마트24 을지로점", "convenience_store"],
    ["휴게음식점", "스타벅스", "cafe"],
    ["일반음식점", "을지면옥", "restaurant"],
    [null, "메가커피 시청점", "cafe"],
    ["한의원", "경희한의원", "hospital"],
    ["약국", "명동 약국", "pharmacy"],
    ["대형마트", "홈플러스", "supermarket"],
    ["Restaurant", "Bistro", "restaurant"],
    [null, "주식회사 아무개", "other"],
  ];
  for (const [category, merchant, expected] of cases) {
    it(`takes ${merchant} as ${expected}`, () => {
      const dwell = findCardDwell(
        category,
        merchant,
        DEFAULT_CARD_DWELLS,
        DEFAULT_OTHER_CARD_DWELL,
      );
      expect(dwell.category).toBe(expected);
    });
  }
});

describe("detectCardStays", () => {
  it("places a restaurant payment near the end", () => {
    const [stay] = stays([payment(720, "명동칼국수", "한식")]);

    expect(stay!.category).toBe("restaurant");
    expect(minutesOf(stay!.startedAt)).toBe(669);
    expect(minutesOf(stay!.lastFixAt)).toBe(720);
    expect(minutesOf(stay!.finishedAt)).toBe(729);
    expect(stay!.timing).toBe("estimated");
  });

  it("places a cafe payment near the start", () => {
    const [stay] = stays([payment(600, "카페 온", "커피전문점")]);

    expect(minutesOf(stay!.startedAt)).toBe(596);
    expect(minutesOf(stay!.finishedAt)).toBe(636);
  });

  it("keeps the payment as the observed instant", () => {
    const [stay] = stays([payment(600, "GS25", "편의점")]);

    expect(stay!.observedFrom).toBe(minute(600));
    expect(stay!.observedTo).toBe(minute(600));
    expect(stay!.paidAt).toBe(minute(600));
  });

  it("names the stay after the merchant", () => {
    const [stay] = stays([
      payment(600, "명동 약국", "약국", {
        address: "서울특별시 중구 명동길 20",
      }),
    ]);

    expect(stay!.placeName).toBe("명동 약국");
    expect(stay!.address).toBe("서울특별시 중구 명동길 20");
  });

  it("uses the default radius", () => {
    const [withDefault, withOwn] = stays([
      payment(600, "A", null),
      payment(700, "B", null, { radiusMeters: 80 }),
    ]);
    expect(withDefault!.radiusMeters).toBe(30);
    expect(withOwn!.radiusMeters).toBe(80);
  });

  it("leaves out a cancellation", () => {
    const { stays: kept, excluded } = detectCardStays("P1", [
      payment(600, "A", null, { amountKrw: 9000 }),
      payment(900, "A", null, { amountKrw: -9000 }),
    ]);

    expect(kept).toHaveLength(1);
    expect(excluded).toHaveLength(1);
    expect(excluded[0]!.reason).toBe("cancellation");
    expect(excluded[0]!.recordId).toBe("A@900");
  });

  it("takes dwell times from the options", () => {
    const [stay] = stays([payment(600, "노래방", "노래연습장")], {
      dwells: [
        {
          category: "karaoke",
          dwellMinutes: 120,
          shareBeforePayment: 0,
          keywords: ["노래"],
        },
      ],
    });

    expect(stay!.category).toBe("karaoke");
    expect(minutesOf(stay!.startedAt)).toBe(600);
    expect(minutesOf(stay!.finishedAt)).toBe(720);
  });

  it("orders stays by payment time", () => {
    const ids = stays([payment(900, "B", null), payment(600, "A", null)]).map(
      (stay) => stay.recordIds[0],
    );
    expect(ids).toEqual(["A@600", "B@900"]);
  });

  it("rejects invalid options", () => {
    const invalid: CardStayOptions[] = [
      { radiusMeters: -1 },
      {
        otherDwell: { ...DEFAULT_OTHER_CARD_DWELL, shareBeforePayment: 1.5 },
      },
      { dwells: [{ ...DEFAULT_OTHER_CARD_DWELL, dwellMinutes: Number.NaN }] },
    ];
    for (const options of invalid) {
      expect(() => stays([payment(0, "A", null)], options)).toThrow(RangeError);
    }
  });

  it("rejects invalid transactions", () => {
    const base = payment(0, "A", null);
    const invalid: CardTransaction[] = [
      { ...base, paidAt: Number.NaN },
      { ...base, longitude: 200 },
      { ...base, radiusMeters: -3 },
    ];
    for (const bad of invalid) {
      expect(() => stays([base, bad])).toThrow(/card transaction at index 1/);
    }
  });
});

describe("card golden fixtures", () => {
  it("matches card/expected.geojson", async () => {
    const input = readGolden("card/input.geojson");
    const transactions = deepFreeze(input.features.map(cardTransactionOf));
    const before = structuredClone(transactions);

    const { stays: result, excluded } = detectCardStays("P1", transactions);
    const cancellations = excluded.map((record) => ({
      ...record,
      recordedAt: new Date(record.recordedAt).toISOString(),
    }));
    const actual = { ...sourceStaysToGeoJson(result), excluded: cancellations };
    await expectGolden("card/expected.geojson", actual, (actual, expected) =>
      expect(actual).toEqual(expected),
    );
    expect(transactions).toEqual(before);
  });
});
