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

/** Measures stay-point detection over fixes already in memory, on one core. */
export function benchmarkStaypoints(): BenchmarkResult {
  const fixes = buildTrack(FIX_COUNT);
  generateStaypoints(fixes.slice(0, 100_000));

  const runs: number[] = [];
  let stays = 0;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    stays = generateStaypoints(fixes).length;
    runs.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const best = Math.min(...runs);

  return {
    name: "stay points, sliding method",
    measure: `${FIX_COUNT.toLocaleString("en")} fixes of one person, ${stays.toLocaleString("en")} stays, best of 3`,
    value: FIX_COUNT / best,
    unit: "fixes/s",
    target: "5,000,000 fixes/s on one core",
  };
}
