import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  PERSONAL_DATA_ACTIONS,
  permissionsOf,
} from "../../src/access/index.js";
import {
  deriveTotpSecretKey,
  openTotpSecret,
  requiresSecondFactor,
  TOTP_STEP_SECONDS,
  totpCode,
  totpStepAt,
} from "../../src/accounts/index.js";
import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import { loadMasterKey, masterKeySource } from "../../src/crypto/index.js";
import type { Role } from "../../src/store/index.js";
import {
  collectApiRoutes,
  methodOf,
  ROUTE_TABLE,
} from "../support/api-routes.js";
import {
  personalDataIn,
  seedRouteWorld,
  type RouteWorld,
} from "../support/route-world.js";
import {
  createAccount,
  enrolThroughApi,
  freshTotpCode,
  logInWithPassword,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
  totpSecretOf,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

interface ErrorBody {
  error: { code: string; message: string };
}

interface SessionBody {
  stage: string;
  user?: { username: string };
}

describe("second factor", () => {
  let system: System;
  let world: RouteWorld;
  let counter = 0;

  beforeAll(async () => {
    system = await startTestSystem({ loginAttemptsPerMinute: 10_000 });
    world = await seedRouteWorld(system);
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Creates an investigator of the Seoul office, enrolled unless `enrolled` is false. */
  async function newAccount(
    options: {
      enrolled?: boolean;
      role?: Role;
      office?: "seoul" | "busan";
    } = {},
  ): Promise<string> {
    const username = `second.factor.${++counter}`;
    const office =
      options.office === "busan"
        ? await ensureProvinceHealthOffice(system.store.db, "21")
        : world.seoulOffice;
    await createAccount(system, {
      organisationId: office.id,
      username,
      role: options.role ?? "investigator",
      enrolSecondFactor: options.enrolled ?? true,
    });
    return username;
  }

  function secretOf(username: string): string {
    const secret = totpSecretOf(system, username);
    if (secret === undefined) {
      throw new Error(`No TOTP secret recorded for ${username}.`);
    }
    return secret;
  }

  async function userRow(username: string) {
    return system.store.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", username)
      .executeTakeFirstOrThrow();
  }

  async function auditOf(username: string, actions: string[]) {
    return system.store.db
      .selectFrom("audit_events")
      .select(["action", "result", "detail"])
      .where("actor_username", "=", username)
      .where("action", "in", actions)
      .orderBy("id")
      .execute();
  }

  async function postCode(client: ApiClient, code: string) {
    return client.request("POST", "/api/session/second-factor", { code });
  }

  describe("enrolment", () => {
    let username: string;
    let client: ApiClient;
    let secret: string;

    beforeAll(async () => {
      username = await newAccount({ enrolled: false });
      const login = await logInWithPassword(system, username);
      client = login.client;
    });

    it("starts half-open for a new investigator", async () => {
      const login = await logInWithPassword(system, username);
      const body = (await login.response.json()) as SessionBody;
      const cases = await client.request("GET", "/api/cases");
      const session = await client.request("GET", "/api/session");
      const status = (await (
        await client.request("GET", "/api/session/second-factor")
      ).json()) as Record<string, unknown>;

      expect(login.response.status).toBe(200);
      expect(body).toEqual({ stage: "enrolment" });
      expect(cases.status).toBe(403);
      expect(((await cases.json()) as ErrorBody).error.code).toBe(
        "second_factor_required",
      );
      expect(session.status).toBe(403);
      expect(status).toMatchObject({
        stage: "enrolment",
        required: true,
        enrolled: false,
      });
    });

    it("returns the secret and its otpauth URI", async () => {
      const response = await client.request(
        "POST",
        "/api/session/second-factor/enrolment",
      );
      const body = (await response.json()) as { secret: string; uri: string };
      secret = body.secret;

      expect(response.status).toBe(200);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(body.uri.startsWith(`otpauth://totp/epitrace:${username}?`)).toBe(
        true,
      );
      expect(new URL(body.uri).searchParams.get("secret")).toBe(secret);
    });

    it("returns the pending secret again", async () => {
      const response = await client.request(
        "POST",
        "/api/session/second-factor/enrolment",
      );
      const body = (await response.json()) as { secret: string };

      expect(response.status).toBe(200);
      expect(body.secret).toBe(secret);
    });

    it("rejects a confirmation with a wrong code", async () => {
      const wrongCode = totpCode(secret, totpStepAt(Date.now()) + 10);
      const response = await client.request(
        "POST",
        "/api/session/second-factor/enrolment/confirmation",
        { code: wrongCode },
      );

      expect(response.status).toBe(401);
      expect((await userRow(username)).totp_enabled_at).toBeNull();
      expect((await userRow(username)).failed_login_count).toBe(0);
    });

    it("confirms with a code and returns ten recovery codes", async () => {
      const response = await client.request(
        "POST",
        "/api/session/second-factor/enrolment/confirmation",
        { code: await freshTotpCode(secret) },
      );
      const body = (await response.json()) as SessionBody & {
        recoveryCodes: string[];
      };

      expect(response.status).toBe(200);
      expect(body.stage).toBe("complete");
      expect(body.user?.username).toBe(username);
      expect(body.recoveryCodes).toHaveLength(10);
      expect(new Set(body.recoveryCodes).size).toBe(10);
      for (const code of body.recoveryCodes) {
        expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
      }
      expect((await client.request("GET", "/api/cases")).status).toBe(200);

      const stored = await system.store.db
        .selectFrom("recovery_codes")
        .select("code_hash")
        .where("user_id", "=", (await userRow(username)).id)
        .execute();
      expect(stored).toHaveLength(10);
      for (const { code_hash } of stored) {
        expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(body.recoveryCodes).not.toContain(code_hash);
      }
    });

    it("refuses a second enrolment", async () => {
      const response = await client.request(
        "POST",
        "/api/session/second-factor/enrolment",
      );
      expect(response.status).toBe(409);
      expect((await userRow(username)).totp_enabled_at).not.toBeNull();
    });

    it("stores the secret encrypted", async () => {
      const row = await userRow(username);
      const master = loadMasterKey(masterKeySource(system.dataDir));
      const secretKey = deriveTotpSecretKey(master);
      const stored = row.totp_secret ?? "";

      expect(stored).not.toContain(secret);
      expect(stored.startsWith(`${master.id}:`)).toBe(true);
      expect(openTotpSecret(secretKey, row.id, stored)).toBe(secret);
      expect(() => openTotpSecret(secretKey, "another-user", stored)).toThrow();
    });

    it("audits every enrolment step", async () => {
      const events = await auditOf(username, [
        "second_factor.enrolment_start",
        "second_factor.enrol",
      ]);
      expect(events.map((e) => [e.action, e.result])).toEqual([
        ["second_factor.enrolment_start", "succeeded"],
        ["second_factor.enrolment_start", "succeeded"],
        ["second_factor.enrol", "failed"],
        ["second_factor.enrol", "succeeded"],
      ]);
      expect(JSON.stringify(events)).not.toContain(secret);
    });

    it("follows a forced password change", async () => {
      const other = await newAccount({ enrolled: false });
      await system.store.db
        .updateTable("users")
        .set({ password_must_change: 1 })
        .where("username", "=", other)
        .execute();
      const login = await logInWithPassword(system, other);
      const body = (await login.response.json()) as SessionBody;
      const early = await login.client.request(
        "POST",
        "/api/session/second-factor/enrolment",
      );
      const changed = await login.client.request(
        "POST",
        "/api/session/password",
        { currentPassword: TEST_PASSWORD, newPassword: "Second-factor-2031" },
      );
      const after = await login.client.request("GET", "/api/session");

      expect(body.stage).toBe("password_change");
      expect(body.user?.username).toBe(other);
      expect(early.status).toBe(403);
      expect(((await early.json()) as ErrorBody).error.code).toBe(
        "password_change_required",
      );
      expect(changed.status).toBe(204);
      expect(after.status).toBe(403);
      expect(((await after.json()) as ErrorBody).error.code).toBe(
        "second_factor_required",
      );
      await enrolThroughApi(system, other, login.client);
      expect((await login.client.request("GET", "/api/cases")).status).toBe(
        200,
      );
    });
  });

  describe("login", () => {
    it("completes with a valid code", async () => {
      const username = await newAccount();
      const login = await logInWithPassword(system, username);
      const body = (await login.response.json()) as SessionBody;
      const before = await login.client.request("GET", "/api/cases");
      const done = await postCode(
        login.client,
        await freshTotpCode(secretOf(username)),
      );
      const doneBody = (await done.json()) as SessionBody;

      expect(body).toEqual({ stage: "second_factor" });
      expect(before.status).toBe(403);
      expect(done.status).toBe(200);
      expect(doneBody.stage).toBe("complete");
      expect(doneBody.user?.username).toBe(username);
      expect((await login.client.request("GET", "/api/cases")).status).toBe(
        200,
      );
      expect(
        (await auditOf(username, ["session.second_factor"])).map(
          (e) => e.result,
        ),
      ).toEqual(["succeeded"]);
    });

    it("rejects a wrong code", async () => {
      const username = await newAccount();
      const someoneElse = await newAccount({ office: "busan" });
      const login = await logInWithPassword(system, username);
      // A valid code of another account, which is wrong for this one.
      const code = await freshTotpCode(secretOf(someoneElse));

      const response = await postCode(login.client, code);
      const body = (await response.json()) as ErrorBody;
      const events = await auditOf(username, ["session.second_factor"]);

      expect(response.status).toBe(401);
      expect(body.error.code).toBe("invalid_credentials");
      expect((await login.client.request("GET", "/api/cases")).status).toBe(
        403,
      );
      expect(events.map((e) => [e.result, JSON.parse(e.detail)])).toEqual([
        ["failed", { reason: "invalid_code" }],
      ]);
    });

    it("rejects a replayed code", async () => {
      const username = await newAccount();
      const code = await freshTotpCode(secretOf(username));
      const first = await logInWithPassword(system, username);
      const second = await logInWithPassword(system, username);

      const accepted = await postCode(first.client, code);
      const replayed = await postCode(second.client, code);
      const events = await auditOf(username, ["session.second_factor"]);

      expect(accepted.status).toBe(200);
      expect(replayed.status).toBe(401);
      expect((await second.client.request("GET", "/api/cases")).status).toBe(
        403,
      );
      expect(events.map((e) => [e.result, JSON.parse(e.detail)])).toEqual([
        ["succeeded", {}],
        ["failed", { reason: "reused_code" }],
      ]);
    });

    it("accepts codes one step either side", async () => {
      await awayFromStepEdge();
      for (const offset of [-1, 1]) {
        const username = await newAccount();
        const login = await logInWithPassword(system, username);
        const step = totpStepAt(Date.now()) + offset;
        const response = await postCode(
          login.client,
          totpCode(secretOf(username), step),
        );
        expect(response.status, `offset ${offset}`).toBe(200);
      }
    });

    it("rejects codes two steps away", async () => {
      const username = await newAccount();
      const login = await logInWithPassword(system, username);
      await awayFromStepEdge();
      for (const offset of [-2, 2]) {
        const step = totpStepAt(Date.now()) + offset;
        const response = await postCode(
          login.client,
          totpCode(secretOf(username), step),
        );
        expect(response.status, `offset ${offset}`).toBe(401);
      }
      const valid = await postCode(
        login.client,
        await freshTotpCode(secretOf(username)),
      );
      expect(valid.status).toBe(200);
    });
  });

  describe("recovery codes", () => {
    let username: string;
    let codes: string[];

    beforeAll(async () => {
      username = await newAccount({ enrolled: false });
      const login = await logInWithPassword(system, username);
      codes = (await enrolThroughApi(system, username, login.client))
        .recoveryCodes;
    });

    it("complete login once each", async () => {
      const first = await logInWithPassword(system, username);
      const used = await first.client.request(
        "POST",
        "/api/session/second-factor",
        { recoveryCode: codes[0] },
      );
      const status = (await (
        await first.client.request("GET", "/api/session/second-factor")
      ).json()) as { recoveryCodesLeft: number };
      const second = await logInWithPassword(system, username);
      const reused = await second.client.request(
        "POST",
        "/api/session/second-factor",
        { recoveryCode: codes[0] },
      );

      expect(used.status).toBe(200);
      expect((await first.client.request("GET", "/api/cases")).status).toBe(
        200,
      );
      expect(status.recoveryCodesLeft).toBe(9);
      expect(reused.status).toBe(401);
      expect((await second.client.request("GET", "/api/cases")).status).toBe(
        403,
      );
    });

    it("ignore case and dashes", async () => {
      const login = await logInWithPassword(system, username);
      const typed = (codes[1] ?? "").replaceAll("-", " ").toLowerCase();
      const response = await login.client.request(
        "POST",
        "/api/session/second-factor",
        { recoveryCode: typed },
      );
      expect(response.status).toBe(200);
    });

    it("reject the codes of another account", async () => {
      const other = await newAccount({ enrolled: false, office: "busan" });
      const otherLogin = await logInWithPassword(system, other);
      const otherCodes = (
        await enrolThroughApi(system, other, otherLogin.client)
      ).recoveryCodes;
      const login = await logInWithPassword(system, username);
      const response = await login.client.request(
        "POST",
        "/api/session/second-factor",
        { recoveryCode: otherCodes[0] },
      );
      expect(response.status).toBe(401);
    });

    it("are audited with their use", async () => {
      const events = await auditOf(username, ["session.recovery_code"]);
      expect(events.map((e) => [e.result, JSON.parse(e.detail)])).toEqual([
        ["succeeded", { recoveryCodesLeft: 9 }],
        ["failed", { reason: "reused_recovery_code" }],
        ["succeeded", { recoveryCodesLeft: 8 }],
        ["failed", { reason: "invalid_recovery_code" }],
      ]);
      expect(JSON.stringify(events)).not.toContain(codes[0]);
    });
  });

  describe("half-open session", () => {
    it("is refused on every route but the second factor and logout", async () => {
      const routes = collectApiRoutes(system.app);
      const verifying = await logInWithPassword(system, world.ownerUsername);
      const enrolling = await logInWithPassword(
        system,
        await newAccount({ enrolled: false }),
      );
      expect(verifying.stage).toBe("second_factor");
      expect(enrolling.stage).toBe("enrolment");
      const caseBefore = await system.store.db
        .selectFrom("cases")
        .selectAll()
        .where("id", "=", world.caseId)
        .executeTakeFirstOrThrow();

      let checked = 0;
      for (const route of routes) {
        const spec = ROUTE_TABLE[route];
        if (
          spec === undefined ||
          spec.access.kind === "public" ||
          spec.openWhileHalfOpen === true
        ) {
          continue;
        }
        for (const session of [verifying, enrolling]) {
          const call = await spec.call(world);
          const response = await session.client.request(
            methodOf(route),
            call.url,
            call.body,
          );
          const text = await response.text();
          checked++;

          if (spec.access.kind === "provider_key") {
            expect
              .soft([401, 403], `${route}: ${text}`)
              .toContain(response.status);
          } else {
            expect.soft(response.status, `${route}: ${text}`).toBe(403);
            expect
              .soft(text, route)
              .toContain('"code":"second_factor_required"');
          }
          expect.soft(personalDataIn(world, text), route).toEqual([]);
        }
      }

      const caseAfter = await system.store.db
        .selectFrom("cases")
        .selectAll()
        .where("id", "=", world.caseId)
        .executeTakeFirstOrThrow();
      expect(checked).toBeGreaterThan(60);
      expect(caseAfter).toEqual(caseBefore);
    });

    it("may log out", async () => {
      const login = await logInWithPassword(system, await newAccount());
      const logout = await login.client.request("DELETE", "/api/session");
      const after = await login.client.request(
        "GET",
        "/api/session/second-factor",
      );
      expect(logout.status).toBe(204);
      expect(after.status).toBe(401);
    });
  });

  describe("lockout", () => {
    it("counts failed codes with failed passwords", async () => {
      const username = await newAccount();
      const bystander = await newAccount();
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) {
        statuses.push(
          (await logInWithPassword(system, username, "Wrong-password-1"))
            .response.status,
        );
      }
      const login = await logInWithPassword(system, username);
      statuses.push(login.response.status);
      const wrongCode = totpCode(
        secretOf(username),
        totpStepAt(Date.now()) + 10,
      );
      for (let i = 0; i < 3; i++) {
        statuses.push((await postCode(login.client, wrongCode)).status);
      }

      const afterLock = await login.client.request(
        "GET",
        "/api/session/second-factor",
      );
      const again = await logInWithPassword(system, username);
      const row = await userRow(username);

      expect(statuses).toEqual([401, 401, 200, 401, 401, 403]);
      expect(afterLock.status).toBe(401);
      expect(again.response.status).toBe(403);
      expect(row.failed_login_count).toBe(5);
      expect(row.locked_at).not.toBeNull();
      expect(
        (await auditOf(username, ["account.lock"])).map((e) => e.result),
      ).toEqual(["succeeded"]);
      expect((await userRow(bystander)).failed_login_count).toBe(0);
      expect((await userRow(bystander)).locked_at).toBeNull();
    });

    it("resets the count after a valid code", async () => {
      const username = await newAccount();
      const login = await logInWithPassword(system, username);
      const wrongCode = totpCode(
        secretOf(username),
        totpStepAt(Date.now()) + 10,
      );
      for (let i = 0; i < 4; i++) {
        expect((await postCode(login.client, wrongCode)).status).toBe(401);
      }
      expect((await userRow(username)).failed_login_count).toBe(4);

      const done = await postCode(
        login.client,
        await freshTotpCode(secretOf(username)),
      );
      expect(done.status).toBe(200);
      expect((await userRow(username)).failed_login_count).toBe(0);
    });

    it("keeps the count through a correct password", async () => {
      const username = await newAccount();
      for (let i = 0; i < 4; i++) {
        await logInWithPassword(system, username, "Wrong-password-1");
      }
      const login = await logInWithPassword(system, username);

      expect(login.response.status).toBe(200);
      expect((await userRow(username)).failed_login_count).toBe(4);
    });
  });

  describe("administrator reset", () => {
    it("removes the factor and ends the sessions", async () => {
      const username = await newAccount();
      const client = await signIn(system, username);
      const target = await userRow(username);

      const response = await world.admin.request(
        "POST",
        `/api/users/${target.id}/second-factor-reset`,
      );
      const body = (await response.json()) as {
        secondFactorEnrolled: boolean;
      };
      const login = await logInWithPassword(system, username);
      const row = await userRow(username);
      const events = await system.store.db
        .selectFrom("audit_events")
        .select(["actor_username", "result", "detail"])
        .where("action", "=", "user.second_factor_reset")
        .execute();

      expect(response.status).toBe(200);
      expect(body.secondFactorEnrolled).toBe(false);
      expect((await client.request("GET", "/api/cases")).status).toBe(401);
      expect(login.stage).toBe("enrolment");
      expect(row.totp_secret).toBeNull();
      expect(row.totp_enabled_at).toBeNull();
      expect(events).toHaveLength(1);
      expect(events[0]?.actor_username).toBe("route.admin");
      expect(JSON.parse(events[0]?.detail ?? "{}")).toEqual({
        userId: target.id,
        wasEnrolled: true,
      });
    });

    it("is refused to others", async () => {
      const target = await userRow(await newAccount());
      const investigator = await signIn(system, await newAccount());

      const response = await investigator.request(
        "POST",
        `/api/users/${target.id}/second-factor-reset`,
      );
      expect(response.status).toBe(403);
      expect((await userRow(target.username)).totp_enabled_at).not.toBeNull();
    });

    it("reports an unknown account", async () => {
      const response = await world.admin.request(
        "POST",
        "/api/users/00000000-0000-4000-8000-000000000000/second-factor-reset",
      );
      expect(response.status).toBe(404);
    });
  });

  describe("policy", () => {
    it("requires a factor where personal data is", () => {
      const roles: Role[] = ["investigator", "administrator"];
      for (const role of roles) {
        for (const kind of ["health_office", "system_operator"] as const) {
          const expected = permissionsOf(role, kind).some((action) =>
            PERSONAL_DATA_ACTIONS.has(action),
          );
          expect(requiresSecondFactor(role, kind), `${role} ${kind}`).toBe(
            expected,
          );
        }
      }
      expect(requiresSecondFactor("investigator", "health_office")).toBe(true);
      expect(requiresSecondFactor("administrator", "system_operator")).toBe(
        false,
      );
    });

    it("lets an administrator enrol voluntarily", async () => {
      const { db } = system.store;
      const operator = await db
        .selectFrom("organisations")
        .select("id")
        .where("kind", "=", "system_operator")
        .executeTakeFirstOrThrow();
      const username = `voluntary.admin.${++counter}`;
      await createAccount(system, {
        organisationId: operator.id,
        username,
        role: "administrator",
        enrolSecondFactor: false,
      });

      const first = await logInWithPassword(system, username);
      expect(first.stage).toBe("complete");
      await enrolThroughApi(system, username, first.client);
      const second = await logInWithPassword(system, username);
      expect(second.stage).toBe("second_factor");
    });
  });
});

/** Waits for the next time step when less than 5 seconds of the current one are left. */
async function awayFromStepEdge(): Promise<void> {
  const stepMillis = TOTP_STEP_SECONDS * 1000;
  const left = stepMillis - (Date.now() % stepMillis);
  if (left < 5000) {
    await new Promise((resolve) => setTimeout(resolve, left + 100));
  }
}
