import { pathToFileURL } from "node:url";

import { detectGpsStays } from "../src/analysis/route/index.js";
import {
  generateStaypoints,
  type PositionFix,
} from "../src/analysis/staypoints/index.js";
import type { BenchmarkResult } from "./result.js";

const FIX_COUNT = 5_000_000;
const START_MS = Date.UTC(2020, 2, 1);

/**
 * Builds a synthetic track of one person near Seoul City Hall: dwell at a
 * place for 20 to 60 fixes 10 s apart with a few metres of jitter, then
 * move about 300 m, and repeat.
 */
function buildTrack(count: number): PositionFix[] {
  const fixes: PositionFix[] = new Array<PositionFix>(count);
  let random = 12_345;
  const next = () => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };

  let latitude = 37.5663;
  let longitude = 126.9779;
  let remainingAtPlace = 0;
  for (let i = 0; i < count; i++) {
    if (remainingAtPlace === 0) {
      remainingAtPlace = 20 + Math.floor(next() * 40);
      latitude += (next() - 0.5) * 0.006;
      longitude += (next() - 0.5) * 0.007;
    }
    remainingAtPlace--;
    fixes[i] = {
      trackedAt: START_MS + i * 10_000,
      latitude: latitude + (next() - 0.5) * 0.0001,
      longitude: longitude + (next() - 0.5) * 0.0001,
    };
  }
  return fixes;
}

/**
 * Measures both stay detectors on the same fixes, already in memory, on one
 * core: the trackintel-compatible `generateStaypoints` and the tracing
 * detector `detectGpsStays` that routes use.
 */
export function benchmarkStaypoints(): BenchmarkResult[] {
  const fixes = buildTrack(FIX_COUNT);
  const sliding = measureBest(
    fixes,
    (track) => generateStaypoints(track).length,
  );
  const tracing = measureBest(
    fixes,
    (track) => detectGpsStays("bench", track).stays.length,
  );

  return [
    {
      name: "stay points, sliding method (generateStaypoints)",
      measure: measureOf(sliding.stayCount),
      value: FIX_COUNT / sliding.bestSeconds,
      unit: "fixes/s",
      target: "5,000,000 fixes/s on one core",
    },
    {
      name: "GPS stays of a route (detectGpsStays)",
      measure: measureOf(tracing.stayCount),
      value: FIX_COUNT / tracing.bestSeconds,
      unit: "fixes/s",
      target: "none set",
    },
  ];
}

/** Runs `detect` once on a warm-up slice, then 3 times on every fix, and keeps the fastest run. */
function measureBest(
  fixes: readonly PositionFix[],
  detect: (track: readonly PositionFix[]) => number,
): { bestSeconds: number; stayCount: number } {
  detect(fixes.slice(0, 100_000));

  const runs: number[] = [];
  let stayCount = 0;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    stayCount = detect(fixes);
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return { bestSeconds: Math.min(...runs), stayCount };
}

function measureOf(stayCount: number): string {
  return `${FIX_COUNT.toLocaleString("en")} fixes of one person, ${stayCount.toLocaleString("en")} stays, best of 3`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const result of benchmarkStaypoints()) {
    process.stdout.write(
      `| ${result.name} | ${result.measure} | ${Math.round(result.value).toLocaleString("en")} ${result.unit} | ${result.target} |\n`,
    );
  }
}
