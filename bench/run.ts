import os from "node:os";

import { benchmarkAnalysisStore } from "./analysis-store.js";
import type { BenchmarkResult } from "./result.js";
import { benchmarkImport } from "./import.js";
import { benchmarkScan } from "./scan.js";
import { benchmarkStaypoints } from "./staypoints.js";

/** Runs every benchmark and prints a Markdown table for docs/benchmarks.md. */
async function main(): Promise<void> {
  const results: BenchmarkResult[] = [
    ...benchmarkStaypoints(),
    ...(await benchmarkImport()),
    await benchmarkAnalysisStore(),
    benchmarkScan(),
  ];

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    `Machine: ${os.cpus().length} cores, ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}.`,
    "",
    "| benchmark | measure | result | target |",
    "|---|---|---|---|",
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.measure} | ${Math.round(r.value).toLocaleString("en")} ${r.unit} | ${r.target} |`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
