/** Small helpers for the benchmarks: timing, medians, percentiles. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Nearest-rank quantile (q in 0..1). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const v = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * v.length));
  return v[Math.min(v.length, rank) - 1]!;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Collect garbage between runs when the process allows it (run with --expose-gc), so runs start alike. */
export function settle(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
