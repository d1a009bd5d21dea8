import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";

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
const PROVINCES = "/api/areas?level=province";

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a GET and returns the bytes as sent, because fetch would decompress them. */
function getRaw(
  system: System,
  url: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(`${system.url}${url}`, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

describe("administrative areas route", () => {
  let system: System;
  let seoul: ApiClient;
  let busan: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    await importBoundaries(system.store, [
      path.join(BOUNDARIES, "skorea-provinces-2018-topo-simple.json"),
    ]);
    await createOfficeUser(system, "11", "areas.seoul");
    await createOfficeUser(system, "26", "areas.busan");
    seoul = await signIn(system, "areas.seoul");
    busan = await signIn(system, "areas.busan");
  });

  afterAll(async () => {
    await system.close();
  });

  it("sends gzip of the plain body", async () => {
    const plain = await getRaw(system, PROVINCES, { cookie: seoul.cookie });
    const gzipped = await getRaw(system, PROVINCES, {
      cookie: seoul.cookie,
      "accept-encoding": "gzip, deflate",
    });

    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers["content-type"]).toMatch(/^application\/geo\+json/);
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);

    const collection = JSON.parse(plain.body.toString("utf8")) as {
      features: { properties: { code: string } }[];
    };
    expect(collection.features).toHaveLength(17);
    expect(collection.features[0]?.properties.code).toBe("11");
  });

  it("sends plain bytes when gzip has q=0", async () => {
    const response = await getRaw(system, PROVINCES, {
      cookie: seoul.cookie,
      "accept-encoding": "gzip;q=0, identity",
    });

    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
  });

  it("marks copies private and revalidated", async () => {
    const plain = await getRaw(system, PROVINCES, { cookie: seoul.cookie });
    const gzipped = await getRaw(system, PROVINCES, {
      cookie: seoul.cookie,
      "accept-encoding": "gzip",
    });

    expect(plain.headers["cache-control"]).toBe("private, no-cache");
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(gzipped.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(gzipped.headers.etag).not.toBe(plain.headers.etag);
  });

  it("returns 304 for a current ETag", async () => {
    for (const encoding of ["gzip", "identity"]) {
      const first = await getRaw(system, PROVINCES, {
        cookie: seoul.cookie,
        "accept-encoding": encoding,
      });
      const repeat = await getRaw(system, PROVINCES, {
        cookie: seoul.cookie,
        "accept-encoding": encoding,
        "if-none-match": first.headers.etag ?? "",
      });

      expect(repeat.status).toBe(304);
      expect(repeat.body.length).toBe(0);
      expect(repeat.headers.etag).toBe(first.headers.etag);
      expect(repeat.headers["cache-control"]).toBe("private, no-cache");
    }
  });

  it("returns a stale ETag in full", async () => {
    const response = await getRaw(system, PROVINCES, {
      cookie: seoul.cookie,
      "if-none-match": '"an-older-release"',
    });

    expect(response.status).toBe(200);
    expect(response.body.length).toBeGreaterThan(0);
  });

  it("gives every office the same boundaries", async () => {
    const fromSeoul = await getRaw(system, PROVINCES, { cookie: seoul.cookie });
    const fromBusan = await getRaw(system, PROVINCES, { cookie: busan.cookie });

    expect(fromBusan.status).toBe(200);
    expect(fromBusan.body.equals(fromSeoul.body)).toBe(true);
  });

  it("rejects a request without a session", async () => {
    const current = await getRaw(system, PROVINCES, { cookie: seoul.cookie });
    const anonymous = await getRaw(system, PROVINCES, {
      "accept-encoding": "gzip",
    });
    const revalidating = await getRaw(system, PROVINCES, {
      "if-none-match": current.headers.etag ?? "",
    });

    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.etag).toBeUndefined();
    expect(revalidating.status).toBe(401);
  });

  it("rebuilds a level after a boundary import", async () => {
    const url = "/api/areas?level=municipality";
    const before = await getRaw(system, url, { cookie: seoul.cookie });
    await importBoundaries(system.store, [
      path.join(BOUNDARIES, "skorea-municipalities-2018-topo-simple.json"),
    ]);
    const after = await getRaw(system, url, {
      cookie: seoul.cookie,
      "if-none-match": before.headers.etag ?? "",
    });

    const count = (response: RawResponse) =>
      (JSON.parse(response.body.toString("utf8")) as { features: unknown[] })
        .features.length;
    expect(count(before)).toBe(0);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(count(after)).toBeGreaterThan(200);
  });
});
