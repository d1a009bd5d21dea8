/** One measured figure of a benchmark. */
export interface BenchmarkResult {
  name: string;
  /** What was measured, in a few words. */
  measure: string;
  value: number;
  unit: string;
  target: string;
}
