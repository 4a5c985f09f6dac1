/**
 * How many bytes a raw deflate stream (RFC 1951) inflates to, found without inflating it: the
 * Huffman codes are decoded and the lengths added up, but no output is produced, so the work is
 * proportional to the compressed bytes read and no memory is allocated for the result. It stops as
 * soon as the count passes `limit`. This is how a zip part that holds more than its header declares
 * (a "zip bomb" whose headers lie) is found before SheetJS inflates it.
 */

export type InflatedSize =
  | { kind: 'ok'; size: number }
  | { kind: 'over' }
  /** Not a valid deflate stream, or one that runs past the end of the bytes. */
  | { kind: 'corrupt' };

/** Thrown inside the decoder; turned into { kind: 'corrupt' } at the edge. */
class Corrupt extends Error {}

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const MAX_BITS = 15;
/** Codes up to this many bits are decoded with one table look-up; longer ones bit by bit. */
const FAST_BITS = 9;

/**
 * A canonical Huffman code. `fast[bits]` holds (symbol << 4) | length for every code of at most
 * FAST_BITS bits (indexed by the next FAST_BITS input bits, least significant first), 0 otherwise.
 */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
  fast: Int32Array;
}

function reverseBits(code: number, length: number): number {
  let r = 0;
  for (let i = 0; i < length; i++) {
    r = (r << 1) | (code & 1);
    code >>>= 1;
  }
  return r;
}

/** Builds a code from its lengths. An over-subscribed set is corrupt; an incomplete one is allowed. */
function buildHuffman(lengths: ArrayLike<number>, n: number): Huffman {
  const count = new Uint16Array(MAX_BITS + 1);
  for (let i = 0; i < n; i++) count[lengths[i]!]!++;
  count[0] = 0;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = left * 2 - count[len]!;
    if (left < 0) throw new Corrupt();
  }
  const offsets = new Uint16Array(MAX_BITS + 2);
  for (let len = 1; len <= MAX_BITS; len++) offsets[len + 1] = offsets[len]! + count[len]!;
  const symbol = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const len = lengths[i]!;
    if (len !== 0) symbol[offsets[len]!++] = i;
  }
  // Canonical codes in order of (length, symbol), reversed so they can be matched against LSB-first bits.
  const fast = new Int32Array(1 << FAST_BITS);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    for (let k = 0; k < count[len]!; k++) {
      if (len <= FAST_BITS) {
        const entry = (symbol[index]! << 4) | len;
        for (let r = reverseBits(code, len); r < 1 << FAST_BITS; r += 1 << len) fast[r] = entry;
      }
      code++;
      index++;
    }
    code <<= 1;
  }
  return { count, symbol, fast };
}

let FIXED: { lit: Huffman; dist: Huffman } | null = null;

function fixedCodes(): { lit: Huffman; dist: Huffman } {
  if (!FIXED) {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    FIXED = { lit: buildHuffman(lit, 288), dist: buildHuffman(new Uint8Array(30).fill(5), 30) };
  }
  return FIXED;
}

class BitReader {
  private bitBuf = 0;
  private bitCount = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  /** `n` bits (n <= 16), least significant first. */
  bits(n: number): number {
    while (this.bitCount < n) {
      if (this.pos >= this.bytes.length) throw new Corrupt();
      this.bitBuf |= this.bytes[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** Up to `n` bits without consuming them (fewer at the end of the input, padded with zeros). */
  peek(n: number): number {
    while (this.bitCount < n && this.pos < this.bytes.length) {
      this.bitBuf |= this.bytes[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    return this.bitBuf & ((1 << n) - 1);
  }

  skip(n: number): void {
    if (n > this.bitCount) throw new Corrupt();
    this.bitBuf >>>= n;
    this.bitCount -= n;
  }

  /** Drops the bits left in the current byte (before a stored block). */
  align(): void {
    const drop = this.bitCount & 7;
    this.bitBuf >>>= drop;
    this.bitCount -= drop;
  }

  /** Whole bytes, after align(): those still in the bit buffer first. */
  skipBytes(n: number): void {
    while (n > 0 && this.bitCount >= 8) {
      this.bitBuf >>>= 8;
      this.bitCount -= 8;
      n--;
    }
    if (this.pos + n > this.bytes.length) throw new Corrupt();
    this.pos += n;
  }

  decode(h: Huffman): number {
    const entry = h.fast[this.peek(FAST_BITS)]!;
    if (entry !== 0) {
      this.skip(entry & 15);
      return entry >>> 4;
    }
    // Longer codes: canonical decoding one bit at a time (as in zlib's puff).
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new Corrupt();
  }
}

function dynamicCodes(r: BitReader): { lit: Huffman; dist: Huffman } {
  const nlen = r.bits(5) + 257;
  const ndist = r.bits(5) + 1;
  const ncode = r.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new Corrupt();
  const lengths = new Uint8Array(320);
  for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]!] = r.bits(3);
  const lencode = buildHuffman(lengths, 19);
  lengths.fill(0);
  let index = 0;
  while (index < nlen + ndist) {
    const sym = r.decode(lencode);
    if (sym < 16) {
      lengths[index++] = sym;
      continue;
    }
    let len = 0;
    let repeat: number;
    if (sym === 16) {
      if (index === 0) throw new Corrupt();
      len = lengths[index - 1]!;
      repeat = 3 + r.bits(2);
    } else if (sym === 17) repeat = 3 + r.bits(3);
    else repeat = 11 + r.bits(7);
    if (index + repeat > nlen + ndist) throw new Corrupt();
    while (repeat-- > 0) lengths[index++] = len;
  }
  if (lengths[256] === 0) throw new Corrupt(); // no end-of-block code
  return { lit: buildHuffman(lengths, nlen), dist: buildHuffman(lengths.subarray(nlen), ndist) };
}

/**
 * The inflated size of the raw deflate stream starting at `start`, or 'over' as soon as it passes
 * `limit`, or 'corrupt'. Distances are checked against the bytes produced so far.
 */
export function inflatedSize(bytes: Uint8Array, start: number, limit: number): InflatedSize {
  const r = new BitReader(bytes, start);
  let size = 0;
  try {
    for (;;) {
      const last = r.bits(1);
      const type = r.bits(2);
      if (type === 0) {
        r.align();
        const len = r.bits(16);
        const nlen = r.bits(16);
        if ((len ^ 0xffff) !== nlen) throw new Corrupt();
        size += len;
        if (size > limit) return { kind: 'over' };
        r.skipBytes(len);
      } else if (type === 1 || type === 2) {
        const { lit, dist } = type === 1 ? fixedCodes() : dynamicCodes(r);
        for (;;) {
          const sym = r.decode(lit);
          if (sym < 256) {
            size++;
          } else if (sym === 256) {
            break;
          } else {
            const li = sym - 257;
            if (li >= 29) throw new Corrupt();
            const length = LENGTH_BASE[li]! + r.bits(LENGTH_EXTRA[li]!);
            const di = r.decode(dist);
            if (di >= 30) throw new Corrupt();
            const distance = DIST_BASE[di]! + r.bits(DIST_EXTRA[di]!);
            if (distance > size) throw new Corrupt();
            size += length;
          }
          if (size > limit) return { kind: 'over' };
        }
      } else {
        throw new Corrupt();
      }
      if (last) return { kind: 'ok', size };
    }
  } catch (e) {
    if (e instanceof Corrupt) return { kind: 'corrupt' };
    throw e;
  }
}
