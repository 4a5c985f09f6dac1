/**
 * Duplicate-name lookup over a million rows without a million string keys: every row has a 32-bit
 * hash of its key (0 = no key), rows are sorted by hash once, and rows whose hash changed since are
 * tracked on the side until the next rebuild. Callers compare the real keys of the rows a hash
 * returns, so a hash collision never makes two different names duplicates.
 */
const ROW_BITS = 2 ** 21; // more than the 1,100,000 rows a sheet may hold

export class DupIndex {
  private sortedRows = new Int32Array(0);
  private sortedHash = new Uint32Array(0);
  private built: Uint32Array;
  private readonly stale = new Set<number>();
  private readonly extra = new Map<number, Set<number>>();

  /** `hashes` is owned by the index from now on: change it only through `set`. */
  constructor(readonly hashes: Uint32Array) {
    this.built = new Uint32Array(hashes.length);
    this.rebuild();
  }

  rebuild(): void {
    const h = this.hashes;
    let count = 0;
    for (let r = 0; r < h.length; r++) if (h[r] !== 0) count++;
    const packed = new Float64Array(count);
    let k = 0;
    for (let r = 0; r < h.length; r++) if (h[r] !== 0) packed[k++] = h[r]! * ROW_BITS + r;
    packed.sort();
    this.sortedRows = new Int32Array(count);
    this.sortedHash = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const v = packed[i]!;
      const hash = Math.floor(v / ROW_BITS);
      this.sortedHash[i] = hash;
      this.sortedRows[i] = v - hash * ROW_BITS;
    }
    this.built = h.slice();
    this.stale.clear();
    this.extra.clear();
  }

  set(row: number, hash: number): void {
    const old = this.hashes[row]!;
    if (old === hash) return;
    if (this.stale.has(row) && old !== 0) this.extra.get(old)?.delete(row);
    this.hashes[row] = hash;
    if (hash === this.built[row]) {
      this.stale.delete(row);
      return;
    }
    this.stale.add(row);
    if (hash !== 0) {
      let set = this.extra.get(hash);
      if (!set) this.extra.set(hash, (set = new Set()));
      set.add(row);
    }
    if (this.stale.size > 50_000 && this.stale.size > this.hashes.length / 8) this.rebuild();
  }

  /** Rows whose hash is `hash` now. */
  members(hash: number): number[] {
    if (hash === 0) return [];
    const out: number[] = [];
    const sh = this.sortedHash;
    let lo = 0;
    let hi = sh.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sh[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sh.length && sh[i] === hash; i++) {
      const r = this.sortedRows[i]!;
      if (!this.stale.has(r)) out.push(r);
    }
    const more = this.extra.get(hash);
    if (more) for (const r of more) out.push(r);
    return out;
  }

  /** Every group of two or more rows sharing a hash, as built (call right after `rebuild`). */
  *buckets(): Generator<number[]> {
    const sh = this.sortedHash;
    let i = 0;
    while (i < sh.length) {
      let j = i + 1;
      while (j < sh.length && sh[j] === sh[i]) j++;
      if (j - i > 1) yield Array.from(this.sortedRows.subarray(i, j));
      i = j;
    }
  }
}

/** Which of `rows` share their exact key with another of them. */
export function duplicatesAmong(rows: readonly number[], keyOf: (row: number) => string | null): Set<number> {
  const byKey = new Map<string, number[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === null) continue;
    const list = byKey.get(k);
    if (list) list.push(r);
    else byKey.set(k, [r]);
  }
  const out = new Set<number>();
  for (const list of byKey.values()) if (list.length > 1) for (const r of list) out.add(r);
  return out;
}
