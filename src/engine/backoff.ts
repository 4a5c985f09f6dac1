/** Full-jitter exponential backoff: a uniform delay in [0, min(cap, base * 2^(retry-1))). */
export function fullJitterDelay(retry: number, random: () => number, baseMs = 1000, capMs = 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
