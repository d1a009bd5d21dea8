import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createOfficeUser,
  signIn,
  startTestSystem,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

describe("session API", () => {
  let system: System;

  beforeAll(async () => {
    system = await startTestSystem();
  });

  afterAll(async () => {
    await system.close();
  });

  it("creates one administrator on an empty store", async () => {
    expect(system.bootstrap?.username).toBe("admin");
    expect(system.bootstrap?.oneTimePassword).toHaveLength(20);
    const users = await system.store.db
      .selectFrom("users")
      .select("username")
      .execute();
    expect(users.map((u) => u.username)).toEqual(["admin"]);
  });

  it("keeps the one-time password out of the store", async () => {
    const admin = await system.store.db
      .selectFrom("users")
      .selectAll()
      .where("username", "=", "admin")
      .executeTakeFirstOrThrow();
    expect(admin.password_hash.startsWith("$argon2id$")).toBe(true);
    expect(admin.password_hash).not.toContain(
      system.bootstrap?.oneTimePassword ?? "?",
    );
  });

  it("requires a new password before other calls", async () => {
    const oneTime = system.bootstrap?.oneTimePassword ?? "";
    const admin = await signIn(system, "admin", oneTime);

    const blocked = await admin.request("GET", "/api/users");
    expect(blocked.status).toBe(403);

    const weak = await admin.request("POST", "/api/session/password", {
      currentPassword: oneTime,
      newPassword: "short",
    });
    expect(weak.status).toBe(400);

    const changed = await admin.request("POST", "/api/session/password", {
      currentPassword: oneTime,
      newPassword: "Adm1n-strong-pass",
    });
    expect(changed.status).toBe(204);
    expect((await admin.request("GET", "/api/users")).status).toBe(200);
  });

  it("rejects a wrong password with a generic message", async () => {
    const response = await fetch(`${system.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "wrong-password-1" }),
    });
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(401);
    expect(body.error.message).toBe("Invalid username or password.");
  });

  it("audits logins with their result", async () => {
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "result"])
      .where("action", "=", "session.login")
      .execute();
    expect(events.map((e) => e.result)).toEqual(["succeeded", "failed"]);
  });

  it("ends the session on logout", async () => {
    await createOfficeUser(system, "11", "leaving.investigator");
    const client = await signIn(system, "leaving.investigator");

    expect((await client.request("DELETE", "/api/session")).status).toBe(204);
    expect((await client.request("GET", "/api/cases")).status).toBe(401);
  });

  it("keeps administrators away from personal data", async () => {
    const admin = await signIn(system, "admin", "Adm1n-strong-pass");
    expect((await admin.request("GET", "/api/cases")).status).toBe(403);
  });

  it("keeps investigators away from account administration", async () => {
    await createOfficeUser(system, "11", "curious.investigator");
    const client = await signIn(system, "curious.investigator");
    expect((await client.request("GET", "/api/users")).status).toBe(403);
    expect((await client.request("GET", "/api/organisations")).status).toBe(
      403,
    );
  });

  it("serves the OpenAPI description", async () => {
    const response = await fetch(`${system.url}/api/openapi.json`);
    const body = (await response.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };

    expect(response.status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toContain("/api/cases/{id}/movements");
    expect(Object.keys(body.paths)).toContain("/api/hotspots/space-time-scan");
    const scan = body.paths["/api/hotspots/space-time-scan"] as {
      get: { parameters: { name: string }[] };
    };
    const scanParameters = scan.get.parameters.map((p) => p.name);
    expect(scanParameters).toContain("replications");
    expect(scanParameters).toContain("maxRadiusKm");
    const hotspots = body.paths["/api/hotspots"] as {
      get: { parameters: { name: string }[] };
    };
    const hotspotParameters = hotspots.get.parameters.map((p) => p.name);
    expect(hotspotParameters).toContain("unit");
    expect(hotspotParameters).toContain("areaLevel");
    expect(hotspotParameters).toContain("bandMeters");
  });
});
