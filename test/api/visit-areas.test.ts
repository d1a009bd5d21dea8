import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { importBoundaries } from "../../src/ingest/boundaries/index.js";
import {
  createOfficeUser,
  SHARED_DATA,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const BOUNDARIES = path.join(SHARED_DATA, "korea-boundaries/kostat-2018");

describe("interview visit areas", () => {
  let system: System;
  let client: ApiClient;
  let caseId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    await importBoundaries(system.store, [
      path.join(BOUNDARIES, "skorea-provinces-2018-topo-simple.json"),
      path.join(BOUNDARIES, "skorea-municipalities-2018-topo-simple.json"),
      path.join(BOUNDARIES, "skorea-submunicipalities-2018-topo-simple.json"),
    ]);
    await createOfficeUser(system, "11", "area.investigator");
    client = await signIn(system, "area.investigator");
    const created = await client.request("POST", "/api/cases", {
      caseNumber: "A-1",
      person: {},
    });
    caseId = ((await created.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await system.close();
  });

  it("labels a visit with its three areas", async () => {
    const response = await client.request(
      "POST",
      `/api/cases/${caseId}/visits`,
      {
        placeName: "종각역",
        latitude: 37.5729,
        longitude: 126.9794,
        visitDate: "2020-03-01",
      },
    );
    const movement = (await response.json()) as {
      area: Record<string, string | null> | null;
    };

    expect(response.status).toBe(201);
    expect(movement.area?.provinceName).toBe("서울특별시");
    expect(movement.area?.municipalityName).toBe("종로구");
    expect(movement.area?.submunicipalityCode).toBe("1101061");
  });

  it("leaves a visit known by address unlabelled", async () => {
    const response = await client.request(
      "POST",
      `/api/cases/${caseId}/visits`,
      {
        placeName: "친척 집",
        address: "서울특별시 종로구 종로 1",
        visitDate: "2020-03-02",
      },
    );
    const movement = (await response.json()) as {
      area: unknown;
      latitude: unknown;
    };

    expect(response.status).toBe(201);
    expect(movement.area).toBeNull();
    expect(movement.latitude).toBeNull();
  });
});
