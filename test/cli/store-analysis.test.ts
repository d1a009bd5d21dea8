import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import {
  offsetPosition,
  TEST_ORIGIN,
} from "../../src/analysis/stays/testing.js";
import { registerContactsCommand } from "../../src/cli/commands/contacts.js";
import { STORE_CONTACTS_CSV_HEADER } from "../../src/cli/commands/contacts-store.js";
import { STORE_EXPOSURE_CSV_HEADER } from "../../src/cli/commands/exposure-store.js";
import { registerExposureCommand } from "../../src/cli/commands/exposure.js";
import { registerRouteCommand } from "../../src/cli/commands/route.js";
import { runProgram, type CliOutput } from "../../src/cli/commands/testing.js";
import { createOrganisation } from "../../src/accounts/organisations.js";
import {
  seedRouteScenario,
  type RouteScenario,
} from "../support/route-scenario.js";
import {
  countAuditEvents,
  createAccount,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const REASON = "investigation 2024-017";

describe("analysis commands on the store", () => {
  let system: System;
  let world: RouteScenario;
  let national: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    world = await seedRouteScenario(system);
    const agency = await createOrganisation(system.store.db, {
      name: "National agency",
      kind: "national_agency",
    });
    await createAccount(system, {
      organisationId: agency.id,
      username: "national.investigator",
      role: "investigator",
    });
    national = await signIn(system, "national.investigator");
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Runs `epitrace ARGS` in this process on the test system's data folder. */
  async function runCli(args: readonly string[]): Promise<CliOutput> {
    const program = new Command("epitrace");
    registerRouteCommand(program);
    registerContactsCommand(program);
    registerExposureCommand(program);
    vi.stubEnv("EPITRACE_DATA_DIR", system.dataDir);
    try {
      return await runProgram(program, args);
    } finally {
      vi.unstubAllEnvs();
    }
  }

  async function apiJson(url: string, body?: unknown): Promise<unknown> {
    const response = await national.request(
      body === undefined ? "GET" : "POST",
      url,
      body,
    );
    expect(response.status).toBe(200);
    return response.json();
  }

  function lastAuditEvent() {
    return system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
  }

  describe("route --case", () => {
    it("prints the API's route as JSON", async () => {
      const { stdout } = await runCli([
        "route",
        "--case",
        world.caseId,
        "--reason",
        REASON,
        "--json",
      ]);
      const api = await apiJson(`/api/cases/${world.caseId}/route`);

      expect(JSON.parse(stdout)).toEqual(api);
    });

    it("prints stays and slots as text", async () => {
      const stays = await runCli([
        "route",
        "--case",
        world.caseId,
        "--reason",
        REASON,
      ]);
      const slots = await runCli([
        "route",
        "--case",
        world.caseId,
        "--reason",
        REASON,
        "--slots",
        "--from",
        "2024-03-04",
        "--to",
        "2024-03-05",
      ]);

      expect(stays.stdout).toContain("2024-03-05 09:");
      expect(slots.stdout.trimEnd().split("\n")).toHaveLength(48);
    });

    it("writes one audit event with the reason", async () => {
      const before = await countAuditEvents(system);
      await runCli(["route", "--case", world.caseId, "--reason", REASON]);
      const last = await lastAuditEvent();

      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("movement.view");
      expect(last.result).toBe("allowed");
      expect(last.case_id).toBe(world.caseId);
      expect(last.purpose).toBe(REASON);
      expect(last.actor_username).toMatch(/^cli:route \(.+\)$/);
      expect(last.actor_user_id).toBeNull();
    });

    it("requires a reason", async () => {
      const before = await countAuditEvents(system);
      const run = runCli(["route", "--case", world.caseId]);

      await expect(run).rejects.toThrow(/Missing --reason/);
      expect(await countAuditEvents(system)).toBe(before);
    });

    it("reads a case by its number", async () => {
      const before = await countAuditEvents(system);
      const { stdout } = await runCli([
        "route",
        "--case",
        "ROUTE-1",
        "--reason",
        REASON,
        "--json",
      ]);
      const last = await lastAuditEvent();
      const api = await apiJson(`/api/cases/${world.caseId}/route`);

      expect(JSON.parse(stdout)).toEqual(api);
      expect(await countAuditEvents(system)).toBe(before + 2);
      expect(last.case_id).toBe(world.caseId);
    });

    it("rejects an unknown case number", async () => {
      const before = await countAuditEvents(system);
      const run = runCli(["route", "--case", "NO-SUCH-1", "--reason", REASON]);

      await expect(run).rejects.toThrow(
        `Case "NO-SUCH-1" not found in the store at ${system.dataDir}`,
      );
      expect(await countAuditEvents(system)).toBe(before);
    });

    it("rejects an unknown case id", async () => {
      const unknown = randomUUID();
      const run = runCli(["route", "--case", unknown, "--reason", REASON]);

      await expect(run).rejects.toThrow(
        `Case "${unknown}" not found in the store at ${system.dataDir}`,
      );
      await expect(run).rejects.toThrow("Give the case number");
      const last = await lastAuditEvent();
      expect(last.result).toBe("denied");
      expect(JSON.parse(last.detail)).toMatchObject({
        requestedCaseId: unknown,
        reason: "not_found",
      });
    });

    it("reads another office's case", async () => {
      const { stdout } = await runCli([
        "route",
        "--case",
        world.busanCaseId,
        "--reason",
        REASON,
        "--json",
      ]);

      expect((JSON.parse(stdout) as { caseId: string }).caseId).toBe(
        world.busanCaseId,
      );
    });
  });

  describe("contacts --case-id", () => {
    it("prints the API's contacts as JSON", async () => {
      const { stdout } = await runCli([
        "contacts",
        "--case-id",
        world.caseId,
        "--reason",
        REASON,
        "--json",
      ]);
      const api = (await apiJson(
        `/api/cases/${world.caseId}/contacts`,
      )) as Record<string, unknown>;
      const printed = JSON.parse(stdout) as Record<string, unknown>;

      expect(printed).toEqual(api);
      expect((printed["contacts"] as unknown[]).length).toBeGreaterThan(0);
    });

    it("prints one CSV row per person", async () => {
      const { stdout } = await runCli([
        "contacts",
        "--case-id",
        world.caseId,
        "--reason",
        REASON,
      ]);
      const lines = stdout.trimEnd().split("\n");
      const json = await runCli([
        "contacts",
        "--case-id",
        world.caseId,
        "--reason",
        REASON,
        "--json",
      ]);
      const result = JSON.parse(json.stdout) as Record<
        "contacts" | "possibleContacts" | "dayLevelContacts",
        { person: { id: string } }[]
      >;
      const personIds = [
        ...result.contacts,
        ...result.possibleContacts,
        ...result.dayLevelContacts,
      ].map((contact) => contact.person.id);

      expect(lines[0]).toBe(STORE_CONTACTS_CSV_HEADER);
      expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(
        personIds,
      );
      expect(personIds).toContain(world.personIds.pharmacyVisitor);
    });

    it("audits the search once", async () => {
      const before = await countAuditEvents(system);
      await runCli(["contacts", "--case-id", world.caseId, "--reason", REASON]);
      const last = await lastAuditEvent();

      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("contact.view");
      expect(last.purpose).toBe(REASON);
    });

    it("rejects file options and unknown cases", async () => {
      const unknown = randomUUID();

      await expect(
        runCli([
          "contacts",
          "--case-id",
          world.caseId,
          "--reason",
          REASON,
          "--onset",
          "2024-03-06",
        ]),
      ).rejects.toThrow(/leave out --onset/);
      await expect(
        runCli(["contacts", "--case-id", unknown, "--reason", REASON]),
      ).rejects.toThrow(`Case "${unknown}" not found`);
      await expect(
        runCli(["contacts", "--case-id", world.caseId]),
      ).rejects.toThrow(/Missing --reason/);
    });
  });

  describe("exposure --store", () => {
    const place = `${TEST_ORIGIN.latitude},${TEST_ORIGIN.longitude}`;
    const window = [
      "--from",
      "2024-03-05T09:00:00+09:00",
      "--to",
      "2024-03-05T11:00:00+09:00",
    ];

    it("prints the API's result as JSON", async () => {
      const { stdout } = await runCli([
        "exposure",
        "--store",
        "--place",
        place,
        ...window,
        "--reason",
        REASON,
        "--json",
      ]);
      const api = await apiJson("/api/exposure", {
        latitude: TEST_ORIGIN.latitude,
        longitude: TEST_ORIGIN.longitude,
        from: "2024-03-05T09:00:00+09:00",
        to: "2024-03-05T11:00:00+09:00",
      });
      const printed = JSON.parse(stdout) as { persons: unknown[] };

      expect(printed).toEqual(api);
      expect(printed.persons.length).toBeGreaterThan(0);
    });

    it("prints CSV and audits the query", async () => {
      const before = await countAuditEvents(system);
      const { stdout, stderr } = await runCli([
        "exposure",
        "--store",
        "--place",
        place,
        ...window,
        "--reason",
        REASON,
      ]);
      const last = await lastAuditEvent();

      expect(stdout.split("\n")[0]).toBe(STORE_EXPOSURE_CSV_HEADER);
      expect(stdout).toContain(world.personIds.case);
      expect(stderr).toMatch(/^Found \d+ persons/);
      expect(await countAuditEvents(system)).toBe(before + 1);
      expect(last.action).toBe("exposure.query");
      expect(last.purpose).toBe(REASON);
      expect(last.actor_username).toMatch(/^cli:exposure \(/);
    });

    it("takes a polygon and two windows", async () => {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-cli-"));
      const square = (half: number) => {
        const corner = (east: number, north: number) => {
          const position = offsetPosition(east, north);
          return [position.longitude, position.latitude];
        };
        return [
          corner(-half, -half),
          corner(half, -half),
          corner(half, half),
          corner(-half, half),
          corner(-half, -half),
        ];
      };
      const polygonFile = path.join(folder, "place.geojson");
      const openFile = path.join(folder, "open.geojson");
      fs.writeFileSync(
        polygonFile,
        JSON.stringify({ type: "Polygon", coordinates: [square(40)] }),
      );
      fs.writeFileSync(
        openFile,
        JSON.stringify({
          type: "Polygon",
          coordinates: [square(40).slice(0, 4)],
        }),
      );
      const windows = [
        "--window",
        "2024-03-05T09:00:00+09:00/2024-03-05T09:30:00+09:00",
        "--window",
        "2024-03-05T10:00:00+09:00/2024-03-05T10:30:00+09:00",
      ];

      try {
        const { stdout } = await runCli([
          "exposure",
          "--store",
          "--polygon",
          polygonFile,
          ...windows,
          "--min-dwell",
          "0",
          "--reason",
          REASON,
          "--json",
        ]);
        const result = JSON.parse(stdout) as {
          radiusMeters: number | null;
          windows: unknown[];
          persons: { person: { id: string } }[];
        };

        expect(result.radiusMeters).toBeNull();
        expect(result.windows).toHaveLength(2);
        expect(result.persons.map((p) => p.person.id)).toContain(
          world.personIds.case,
        );
        await expect(
          runCli([
            "exposure",
            "--store",
            "--polygon",
            openFile,
            ...windows,
            "--reason",
            REASON,
          ]),
        ).rejects.toThrow(/ring 0 is not closed/);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });

    it("rejects a wide radius and files", async () => {
      await expect(
        runCli([
          "exposure",
          "--store",
          "--place",
          place,
          "--radius",
          "5000",
          ...window,
          "--reason",
          REASON,
        ]),
      ).rejects.toThrow(/Invalid radiusMeters 5000/);
      await expect(
        runCli([
          "exposure",
          "--store",
          "stays.csv",
          "--place",
          place,
          ...window,
          "--reason",
          REASON,
        ]),
      ).rejects.toThrow(/leave out the files \(stays.csv\)/);
    });
  });
});
