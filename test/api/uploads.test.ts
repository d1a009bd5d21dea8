import { readFile } from "node:fs/promises";
import path from "node:path";

import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOrganisation } from "../../src/accounts/organisations.js";
import { PROVIDER_KINDS } from "../../src/ingest/provider/kinds.js";
import {
  TEMPLATE_FILES,
  templateFileName,
  templateRouteName,
} from "../../src/ingest/provider/templates.js";
import type { OrganisationKind, Role } from "../../src/store/index.js";
import {
  createAccount,
  createOfficeUser,
  freshTotpCode,
  logInWithPassword,
  SHARED_DATA,
  startTestSystem,
  totpSecretOf,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const SEOUL = "11";
const BUSAN = "21";

const VISITS_CSV =
  "place_name,address,latitude,longitude,visit_date,arrived_at,departed_at\n" +
  "명동 약국,서울특별시 중구 명동길 20,37.5636,126.985,2020-03-02,14:00,14:20\n" +
  "직장,,37.57,126.982,2020-03-03,,\n";

const BROKEN_CSV =
  "place_name,address,latitude,longitude,visit_date\n" +
  "명동 약국,서울특별시 중구 명동길 20,37.5636,126.985,2020-03-02\n" +
  "거꾸로,,126.982,37.57,2020-03-03\n" +
  "날짜 없음,서울특별시 중구 세종대로 110,,,\n";

const VISITORS_CP949 = iconv.encode(
  "방문일,입장시간,퇴장시간,업소명,주소\n" +
    "2020-05-02,23:40,02:10,이태원 클럽 똠,서울특별시 용산구 이태원로 123\n",
  "cp949",
);

interface Preview {
  fileName: string;
  kind: string;
  format: string;
  encoding: string | null;
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  records: number;
  assumedZoneRecords: number;
  fileErrors: { rule: string; message: string }[];
  rejected: {
    file: string;
    row: number;
    field: string;
    value: string;
    rule: string;
    hint: string;
  }[];
  firstRecords: { placeName: string | null; visitDate: string | null }[];
}

interface ImportBody {
  importId: string | null;
  alreadyImported: boolean;
  recordsAdded: number;
  preview: Preview;
}

/** A signed-in session whose cookie can send raw file bodies. */
interface Uploader {
  client: ApiClient;
  upload(
    route: "validate" | "import",
    caseId: string,
    query: Record<string, string>,
    body: Buffer | string,
  ): Promise<Response>;
}

async function signInUploader(
  system: System,
  username: string,
): Promise<Uploader> {
  const login = await logInWithPassword(system, username);
  const cookie =
    (login.response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const secret = totpSecretOf(system, username);
  if (secret === undefined) {
    throw new Error(`No TOTP secret is recorded for ${username}.`);
  }
  const second = await login.client.request(
    "POST",
    "/api/session/second-factor",
    { code: await freshTotpCode(secret) },
  );
  expect(second.status).toBe(200);

  return {
    client: login.client,
    upload: (route, caseId, query, body) => {
      const suffix = route === "validate" ? "/validate" : "";
      const search = new URLSearchParams(query).toString();
      return fetch(
        `${system.url}/api/cases/${caseId}/uploads${suffix}?${search}`,
        {
          method: "POST",
          headers: { cookie, "content-type": "application/octet-stream" },
          body: new Uint8Array(
            typeof body === "string" ? Buffer.from(body, "utf8") : body,
          ),
        },
      );
    },
  };
}

async function createCase(
  client: ApiClient,
  caseNumber: string,
  province: string,
): Promise<{ caseId: string; personId: string }> {
  const response = await client.request("POST", "/api/cases", {
    caseNumber,
    person: { name: "업로드환자" },
    province,
    confirmedDate: "2020-03-05",
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as {
    id: string;
    person: { id: string };
  };
  return { caseId: body.id, personId: body.person.id };
}

describe("case upload API", () => {
  let system: System;
  let seoul: Uploader;
  let busan: Uploader;
  let seoulCase: { caseId: string; personId: string };

  async function storedRecords(personId: string) {
    return system.store.db
      .selectFrom("location_records_all")
      .select([
        "person_id",
        "case_id",
        "source_kind",
        "import_id",
        "started_at",
        "ended_at",
        "visit_date",
        "latitude",
        "longitude",
        "place_name",
        "address",
        "flags",
      ])
      .where("person_id", "=", personId)
      .orderBy("id")
      .execute();
  }

  async function uploadEvents() {
    return system.store.db
      .selectFrom("audit_events")
      .select(["action", "result", "case_id", "detail"])
      .where("action", "=", "upload.create")
      .orderBy("id")
      .execute();
  }

  beforeAll(async () => {
    system = await startTestSystem();
    await createOfficeUser(system, SEOUL, "seoul.uploader");
    await createOfficeUser(system, BUSAN, "busan.uploader");
    seoul = await signInUploader(system, "seoul.uploader");
    busan = await signInUploader(system, "busan.uploader");
    seoulCase = await createCase(seoul.client, "UP-0001", "Seoul");
  });

  afterAll(async () => {
    await system.close();
  });

  it("previews a valid file without storing it", async () => {
    const response = await seoul.upload(
      "validate",
      seoulCase.caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );
    const preview = (await response.json()) as Preview;

    expect(response.status).toBe(200);
    expect(preview.fileName).toBe("visits.csv");
    expect(preview.format).toBe("csv");
    expect(preview.encoding).toBe("utf-8");
    expect(preview.rowsRead).toBe(2);
    expect(preview.rowsRejected).toBe(0);
    expect(preview.records).toBe(2);
    expect(preview.assumedZoneRecords).toBe(1);
    expect(preview.rejected).toEqual([]);
    expect(preview.firstRecords.map((record) => record.placeName)).toEqual([
      "명동 약국",
      "직장",
    ]);
    expect(await storedRecords(seoulCase.personId)).toEqual([]);
  });

  it("imports a valid file for the case's person", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0002",
      "Seoul",
    );
    const response = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );
    const body = (await response.json()) as ImportBody;

    expect(response.status).toBe(201);
    expect(body.alreadyImported).toBe(false);
    expect(body.recordsAdded).toBe(2);
    expect(body.importId).not.toBeNull();

    const stored = await storedRecords(personId);
    expect(stored).toEqual([
      {
        person_id: personId,
        case_id: caseId,
        source_kind: "interview",
        import_id: body.importId,
        // 14:00 and 14:20 in Seoul on 2 March 2020.
        started_at: Date.UTC(2020, 2, 2, 5, 0),
        ended_at: Date.UTC(2020, 2, 2, 5, 20),
        visit_date: null,
        latitude: 37.5636,
        longitude: 126.985,
        place_name: "명동 약국",
        address: "서울특별시 중구 명동길 20",
        flags: JSON.stringify(["assumed_zone"]),
      },
      {
        person_id: personId,
        case_id: caseId,
        source_kind: "interview",
        import_id: body.importId,
        started_at: null,
        ended_at: null,
        visit_date: "2020-03-03",
        latitude: 37.57,
        longitude: 126.982,
        place_name: "직장",
        address: null,
        flags: JSON.stringify(["date_only"]),
      },
    ]);

    const movements = await seoul.client.request(
      "GET",
      `/api/cases/${caseId}/movements`,
    );
    const listed = (await movements.json()) as {
      items: { placeName: string | null }[];
    };
    expect(listed.items.map((item) => item.placeName)).toEqual([
      "명동 약국",
      "직장",
    ]);
  });

  it("adds nothing on a repeated upload", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0003",
      "Seoul",
    );
    const first = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );
    const firstBody = (await first.json()) as ImportBody;
    const again = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );
    const againBody = (await again.json()) as ImportBody;

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(againBody.alreadyImported).toBe(true);
    expect(againBody.recordsAdded).toBe(0);
    expect(againBody.importId).toBe(firstBody.importId);
    expect(await storedRecords(personId)).toHaveLength(2);
  });

  it("adds nothing on two uploads at once", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0009",
      "Seoul",
    );
    const query = { kind: "interview", fileName: "visits.csv" };
    const responses = await Promise.all([
      seoul.upload("import", caseId, query, VISITS_CSV),
      seoul.upload("import", caseId, query, VISITS_CSV),
    ]);

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 201]);
    expect(await storedRecords(personId)).toHaveLength(2);
  });

  it("imports the same file for another case", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0004",
      "Seoul",
    );
    const response = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );

    expect(response.status).toBe(201);
    expect(await storedRecords(personId)).toHaveLength(2);
  });

  it("lists rejected rows and stores nothing", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0005",
      "Seoul",
    );
    const response = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "broken.csv" },
      BROKEN_CSV,
    );
    const body = (await response.json()) as {
      error: { code: string; message: string };
      preview: Preview;
    };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("validation_failed");
    expect(body.preview.rowsRead).toBe(3);
    expect(body.preview.rowsRejected).toBe(2);
    expect(
      body.preview.rejected.map(({ file, row, field, value, rule }) => ({
        file,
        row,
        field,
        value,
        rule,
      })),
    ).toEqual([
      {
        file: "broken.csv",
        row: 2,
        field: "latitude",
        value: "126.982",
        rule: "coordinates_swapped",
      },
      {
        file: "broken.csv",
        row: 3,
        field: "arrived_at",
        value: "",
        rule: "required",
      },
    ]);
    for (const row of body.preview.rejected) {
      expect(row.hint).not.toBe("");
    }
    expect(await storedRecords(personId)).toEqual([]);
  });

  it("rejects a long line inside a quoted value at its row", async () => {
    const long = `"${"y".repeat(10_050)}`;
    const file =
      "place_name,address,latitude,longitude,visit_date\n" +
      `명동 약국,${long}\nsecond line",37.5636,126.985,2020-03-02\n` +
      "직장,,37.57,126.982,2020-03-03\n";
    const query = { kind: "interview", fileName: "long.csv" };

    const checked = await seoul.upload(
      "validate",
      seoulCase.caseId,
      query,
      file,
    );
    const preview = (await checked.json()) as Preview;
    expect(checked.status).toBe(200);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.rowsRejected).toBe(1);
    expect(preview.rejected.map(({ row, rule }) => [row, rule])).toEqual([
      [1, "line_too_long"],
    ]);

    const imported = await seoul.upload(
      "import",
      seoulCase.caseId,
      query,
      file,
    );
    expect(imported.status).toBe(400);
  });

  it("rejects broken quoting as a file error", async () => {
    const response = await seoul.upload(
      "import",
      seoulCase.caseId,
      { kind: "interview", fileName: "quote.csv" },
      'place_name,address,latitude,longitude,visit_date\n약국,서"울"시,37.5,127,2020-03-02\n',
    );
    const body = (await response.json()) as { preview: Preview };

    expect(response.status).toBe(400);
    expect(body.preview.fileErrors.map((error) => error.rule)).toEqual([
      "csv_syntax",
    ]);
  });

  it("rejects the row of a quote never closed", async () => {
    const query = { kind: "interview", fileName: "open-quote.csv" };
    const file =
      "place_name,address,latitude,longitude,visit_date\n" +
      '약국,"서울 중구,37.5,127,2020-03-02\n' +
      "직장,,37.57,126.982,2020-03-03\n";

    const checked = await seoul.upload(
      "validate",
      seoulCase.caseId,
      query,
      file,
    );
    const preview = (await checked.json()) as Preview;
    expect(checked.status).toBe(200);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.records).toBe(1);
    expect(
      preview.rejected.map(({ row, field, value, rule }) => [
        row,
        field,
        value,
        rule,
      ]),
    ).toEqual([
      [1, "address", '"서울 중구,37.5,127,2020-03-02', "unclosed_quote"],
    ]);

    const imported = await seoul.upload(
      "import",
      seoulCase.caseId,
      query,
      file,
    );
    const body = (await imported.json()) as { preview: Preview };
    expect(imported.status).toBe(400);
    expect(body.preview.rejected.map(({ rule }) => rule)).toEqual([
      "unclosed_quote",
    ]);
  });

  it("reads a CP949 visitor list", async () => {
    const response = await seoul.upload(
      "validate",
      seoulCase.caseId,
      { kind: "checkin", fileName: "visitors.csv" },
      VISITORS_CP949,
    );
    const preview = (await response.json()) as Preview;

    expect(response.status).toBe(200);
    expect(preview.encoding).toBe("cp949");
    expect(preview.records).toBe(1);
    expect(preview.rowsRejected).toBe(0);
  });

  it("asks for the year of the coronamap.site list", async () => {
    const file = await readFile(
      path.join(
        SHARED_DATA,
        "korea-covid/coronamap/coronamap.site-input.records.json",
      ),
    );
    const query = {
      kind: "interview",
      fileName: "coronamap.site-input.records.json",
    };

    const withoutYear = await seoul.upload(
      "validate",
      seoulCase.caseId,
      query,
      file,
    );
    const rejected = (await withoutYear.json()) as Preview;
    expect(rejected.rowsRejected).toBe(943);
    expect(rejected.rejected[0]?.rule).toBe("missing_year");

    const withYear = await seoul.upload(
      "validate",
      seoulCase.caseId,
      { ...query, year: "2020" },
      file,
    );
    const accepted = (await withYear.json()) as Preview;
    expect(accepted.rowsRejected).toBe(0);
    expect(accepted.records).toBe(855);
  });

  it("rejects an invalid zone", async () => {
    const response = await seoul.upload(
      "validate",
      seoulCase.caseId,
      { kind: "interview", zone: "Mars/Olympus" },
      VISITS_CSV,
    );
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("Mars/Olympus");
  });

  it("hides a case of another jurisdiction", async () => {
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0006",
      "Seoul",
    );
    for (const route of ["validate", "import"] as const) {
      const response = await busan.upload(
        route,
        caseId,
        { kind: "interview", fileName: "visits.csv" },
        VISITS_CSV,
      );
      const text = await response.text();
      expect(response.status, route).toBe(404);
      expect(text).not.toContain("업로드환자");
      expect(text).not.toContain("UP-0006");
    }
    expect(await storedRecords(personId)).toEqual([]);
  });

  it("audits every call once", async () => {
    const before = (await uploadEvents()).length;
    const { caseId } = await createCase(seoul.client, "UP-0007", "Seoul");
    await seoul.upload(
      "validate",
      caseId,
      { kind: "interview", fileName: "visits.csv" },
      VISITS_CSV,
    );
    await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "broken.csv" },
      BROKEN_CSV,
    );
    await busan.upload("import", caseId, { kind: "interview" }, VISITS_CSV);

    const events = (await uploadEvents()).slice(before);
    expect(events.map(({ result, case_id }) => [result, case_id])).toEqual([
      ["allowed", caseId],
      ["failed", caseId],
      ["denied", caseId],
    ]);
    const details = events.map(
      (event) => JSON.parse(event.detail) as Record<string, unknown>,
    );
    expect(details.map((detail) => detail.operation)).toEqual([
      "validate",
      "import",
      "import",
    ]);
    expect(details[1]?.error).toBe("validation_failed");
    expect(details[2]?.reason).toBe("jurisdiction");
    for (const detail of details) {
      expect(JSON.stringify(detail)).not.toContain("명동");
    }
  });

  it("forbids roles other than investigator", async () => {
    const roles: [Role, OrganisationKind][] = [
      ["auditor", "audit_office"],
      ["police_approver", "police"],
      ["administrator", "system_operator"],
      ["provider", "telecom_operator"],
    ];
    const { caseId, personId } = await createCase(
      seoul.client,
      "UP-0008",
      "Seoul",
    );
    for (const [role, kind] of roles) {
      const organisation = await createOrganisation(system.store.db, {
        name: `Upload test ${role}`,
        kind,
      });
      const username = `upload.${role}`;
      await createAccount(system, {
        organisationId: organisation.id,
        username,
        role,
      });
      const uploader = await signInUploader(system, username);
      for (const route of ["validate", "import"] as const) {
        const response = await uploader.upload(
          route,
          caseId,
          { kind: "interview", fileName: "visits.csv" },
          VISITS_CSV,
        );
        expect(response.status, `${role} ${route}`).toBe(403);
      }
    }
    expect(await storedRecords(personId)).toEqual([]);
  });

  it("serves the templates of each kind", async () => {
    const sample = await seoul.client.request(
      "GET",
      "/api/upload-templates/checkin/sample.csv",
    );
    const header = await seoul.client.request(
      "GET",
      "/api/upload-templates/gps/header.csv",
    );
    const schema = await seoul.client.request(
      "GET",
      "/api/upload-templates/card/schema.json",
    );

    expect(sample.status).toBe(200);
    expect(sample.headers.get("content-disposition")).toBe(
      'attachment; filename="checkin-sample.v1.csv"',
    );
    expect(sample.headers.get("epitrace-template-version")).toBe("1");
    expect(header.headers.get("content-disposition")).toBe(
      'attachment; filename="gps-header.v1.csv"',
    );
    expect(schema.headers.get("content-disposition")).toBe(
      'attachment; filename="card.v1.schema.json"',
    );
    expect((await sample.text()).split("\n")[0]).toBe(
      "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at",
    );
    expect(await header.text()).toBe(
      "subject,tracked_at,ended_at,visit_date,latitude,longitude,accuracy_meters,altitude_meters,place_name,address\n",
    );
    const parsed = (await schema.json()) as {
      title: string;
      $id: string;
      version: number;
    };
    expect(parsed.title).toBe("Card transactions");
    expect(parsed.$id).toBe(
      "https://epitrace.invalid/provider/card.v1.schema.json",
    );
    expect(parsed.version).toBe(1);
  });

  it("serves a template by its version", async () => {
    const current = await seoul.client.request(
      "GET",
      "/api/upload-templates/gps/header.v1.csv",
    );
    const later = await seoul.client.request(
      "GET",
      "/api/upload-templates/gps/header.v2.csv",
    );

    expect(current.status).toBe(200);
    expect(current.headers.get("content-disposition")).toBe(
      'attachment; filename="gps-header.v1.csv"',
    );
    expect(await current.text()).toBe(
      "subject,tracked_at,ended_at,visit_date,latitude,longitude,accuracy_meters,altitude_meters,place_name,address\n",
    );
    expect(later.status).toBe(404);
    const body = (await later.json()) as { error: { message: string } };
    expect(body.error.message).toBe(
      "Template version 2 of gps not found. The current version is 1.",
    );
  });

  it("serves every template under its route name", async () => {
    for (const kind of PROVIDER_KINDS) {
      for (const file of TEMPLATE_FILES) {
        const response = await seoul.client.request(
          "GET",
          `/api/upload-templates/${kind}/${templateRouteName(kind, file)}`,
        );
        expect(response.status, `${kind} ${file}`).toBe(200);
        expect(response.headers.get("content-disposition")).toBe(
          `attachment; filename="${templateFileName(kind, file)}"`,
        );
      }
    }
  });

  it("rejects templates without a session", async () => {
    const response = await fetch(
      `${system.url}/api/upload-templates/gps/header.csv`,
    );

    expect(response.status).toBe(401);
  });
});

describe("case upload body limit", () => {
  let system: System;
  let seoul: Uploader;
  let caseId: string;
  const previousLimit = process.env.EPITRACE_PROVIDER_UPLOAD_MAX_MIB;

  beforeAll(async () => {
    // The limit is read from the environment when the routes are registered.
    process.env.EPITRACE_PROVIDER_UPLOAD_MAX_MIB = "1";
    system = await startTestSystem();
    await createOfficeUser(system, SEOUL, "seoul.limit");
    seoul = await signInUploader(system, "seoul.limit");
    ({ caseId } = await createCase(seoul.client, "UP-LIMIT-1", "Seoul"));
  });

  afterAll(async () => {
    if (previousLimit === undefined) {
      delete process.env.EPITRACE_PROVIDER_UPLOAD_MAX_MIB;
    } else {
      process.env.EPITRACE_PROVIDER_UPLOAD_MAX_MIB = previousLimit;
    }
    await system.close();
  });

  it("rejects a body over the limit", async () => {
    const header = "place_name,latitude,longitude,visit_date\n";
    const row = "약국,37.5636,126.985,2020-03-02\n";
    const large = header + row.repeat(Math.ceil(1_100_000 / row.length));

    const response = await seoul.upload(
      "import",
      caseId,
      { kind: "interview", fileName: "large.csv" },
      large,
    );

    expect(response.status).toBe(413);
    const stored = await system.store.db
      .selectFrom("location_records_all")
      .select("id")
      .execute();
    expect(stored).toEqual([]);
  });
});
