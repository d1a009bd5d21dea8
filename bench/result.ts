/** One measured figure of a benchmark. */
export interface BenchmarkResult {
  name: string;
  /** Short description of the measured workload. */
  measure: string;
  value: number;
  unit: string;
  target: string;
}
