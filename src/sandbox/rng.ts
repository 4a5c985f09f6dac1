/** Small deterministic helpers: a seeded random source and ULID-shaped ids, so runs are repeatable. */

/** mulberry32: a tiny, fast, seeded PRNG returning numbers in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-looking id (48-bit time + 80 random bits, Crockford base 32) with a prefix, e.g. `proj_01J…`. */
export function ulidLike(prefix: string, timeMs: number, rng: () => number): string {
  let time = '';
  let t = Math.max(0, Math.floor(timeMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[Math.floor(rng() * 32)];
  return `${prefix}_${time}${rand}`;
}
