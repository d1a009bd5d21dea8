/**
 * Times `GET /api/areas` of the two levels every map page loads, plain and
 * gzip, then a revalidation with If-None-Match, and prints the bytes on the
 * wire. Run: `npx tsx bench/areas-route.ts [simple|full]` (default simple,
 * the simplified KOSTAT 2018 files). Not part of `npm run bench`.
 */
import http from "node:http";
import path from "node:path";

import { importBoundaries } from "../src/ingest/boundaries/index.js";
import {
  createOfficeUser,
  SHARED_DATA,
  signIn,
  startTestSystem,
} from "../test/support/system.js";

const RUNS = 5;

interface Sample {
  status: number;
  bytes: number;
  milliseconds: number;
  etag: string;
}

const detail = process.argv[2] ?? "simple";
const suffix = detail === "full" ? "" : "-simple";
const files = ["provinces", "municipalities"].map((level) =>
  path.join(
    SHARED_DATA,
    "korea-boundaries/kostat-2018",
    `skorea-${level}-2018-topo${suffix}.json`,
  ),
);

const system = await startTestSystem();
await importBoundaries(system.store, files);
await createOfficeUser(system, "11", "bench.areas");
const { cookie } = await signIn(system, "bench.areas");

function get(url: string, headers: Record<string, string>): Promise<Sample> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(
        `${system.url}${url}`,
        { headers: { cookie, ...headers } },
        (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              bytes,
              milliseconds: performance.now() - started,
              etag: String(res.headers.etag),
            }),
          );
        },
      )
      .on("error", reject);
  });
}

const format = (label: string, sample: Sample) =>
  `  ${label}: ${sample.status}, ${sample.bytes} bytes, ${sample.milliseconds.toFixed(0)} ms`;

for (const level of ["province", "municipality"]) {
  const url = `/api/areas?level=${level}`;
  console.log(level);
  for (const [encoding, headers] of [
    ["plain", {}],
    ["gzip", { "accept-encoding": "gzip" }],
  ] as const) {
    for (let run = 1; run <= RUNS; run++) {
      console.log(format(`${encoding} ${run}`, await get(url, headers)));
    }
  }
  const current = await get(url, { "accept-encoding": "gzip" });
  const repeat = await get(url, {
    "accept-encoding": "gzip",
    "if-none-match": current.etag,
  });
  console.log(format("If-None-Match", repeat));
}
await system.close();
