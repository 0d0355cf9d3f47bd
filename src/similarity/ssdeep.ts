// ssdeep (context-triggered piecewise hashing): hashes and comparison scores identical to ssdeep 2.14.
//
// Written here because the npm `ssdeep.js` gives wrong hashes and scores on real executables. Definition:
// Kornblum, "Identifying almost identical files using context triggered piecewise hashing" (DFRWS 2006), and
// the reference fuzzy.c of ssdeep 2.14 (the blockhash set that forks and retires as the input grows, and the
// score of two signatures from their weighted edit distance).

const ROLLING_WINDOW = 7;
const MIN_BLOCKSIZE = 3;
const SPAMSUM_LENGTH = 64;
const NUM_BLOCKHASHES = 31;
/** FNV-1's offset basis 0x28021967 reduced to the 6 bits the digest keeps. */
const HASH_INIT = 0x27;
/** Inputs above this have no ssdeep hash in the reference (the largest block size times the digest length). */
export const SSDEEP_MAX_INPUT = MIN_BLOCKSIZE * 2 ** (NUM_BLOCKHASHES - 1) * SPAMSUM_LENGTH;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));

/**
 * The piece hash is FNV-1 (h * 0x01000193 ^ c), but only its low 6 bits reach the digest, and those depend only
 * on the low 6 bits of h and c, and of the prime: 0x01000193 modulo 64.
 */
const FNV_PRIME_LOW = 0x13;
const LANES = 0x3f003f;
const BOTH_INIT = HASH_INIT | (HASH_INIT << 16);

function blockSize(index: number): number {
  return MIN_BLOCKSIZE * 2 ** index;
}

/** Incremental ssdeep over chunks, for an input whose total length is known up front (as the tool does). */
export class SsdeepHasher {
  /**
   * Each block hash's two piece hashes (the full one in bits 0-5, the half one in bits 16-21) in one word: both
   * advance with one multiply, xor and mask, as neither lane can carry into the other.
   */
  private readonly hw = new Uint32Array(NUM_BLOCKHASHES);
  private readonly dindex = new Int32Array(NUM_BLOCKHASHES);
  /** Digest characters (base64 codes), SPAMSUM_LENGTH per block hash; a 0 ends each. */
  private readonly digestChars = new Uint8Array(NUM_BLOCKHASHES * SPAMSUM_LENGTH);
  private readonly halfdigest = new Uint8Array(NUM_BLOCKHASHES);
  private bhstart = 0;
  private bhend = 1;
  private readonly bhendlimit: number;
  private needLastHash = false;
  private lasth = 0;
  private rollmask = 0;
  private reduceBorder = MIN_BLOCKSIZE * SPAMSUM_LENGTH;
  private totalSize = 0;
  // Rolling hash (Adler-32-like over a 7-byte window): uint32 in the reference, kept as int32 (same bits) so the
  // engine stays in small-integer arithmetic.
  private readonly window = new Uint8Array(ROLLING_WINDOW);
  private r1 = 0;
  private r2 = 0;
  private r3 = 0;
  private rn = 0;

  /** `totalLength` must be the exact length of everything later passed to update(). */
  constructor(private readonly totalLength: number) {
    this.hw[0] = BOTH_INIT;
    // Knowing the size bounds how many block hashes can ever matter (the reference's fixed-size mode).
    let bi = 0;
    while (blockSize(bi) * SPAMSUM_LENGTH < totalLength) {
      bi++;
      if (bi === NUM_BLOCKHASHES - 2) break;
    }
    this.bhendlimit = bi + 1;
  }

  update(data: Uint8Array): this {
    const n = data.length;
    const win = this.window;
    const hw = this.hw;
    let r1 = this.r1;
    let r2 = this.r2;
    let r3 = this.r3;
    let rn = this.rn;
    // Block-hash bounds change only at a trigger, so they live in locals reloaded after one.
    let start = this.bhstart;
    let end = this.bhend;
    let mask = this.rollmask;
    let needLast = this.needLastHash;
    for (let p = 0; p < n; p++) {
      const c = data[p]!;
      r2 = (r2 - r1 + ROLLING_WINDOW * c) | 0;
      r1 = (r1 + c - win[rn]!) | 0;
      win[rn] = c;
      rn = rn === ROLLING_WINDOW - 1 ? 0 : rn + 1;
      r3 = (r3 << 5) ^ c;
      const c6 = c & 63;
      const cc = c6 | (c6 << 16);
      for (let i = start; i < end; i++) hw[i] = (Math.imul(hw[i]!, FNV_PRIME_LOW) ^ cc) & LANES;
      if (needLast) this.lasth = (Math.imul(this.lasth, FNV_PRIME_LOW) ^ c6) & 63;
      const horg = (r1 + r2 + r3 + 1) >>> 0;
      // horg = 0 means the sum was 0xffffffff, which is not -1 mod 3; the reference skips it.
      if (horg === 0) continue;
      const h = (horg / MIN_BLOCKSIZE) >>> 0;
      if ((h & mask) !== 0) continue;
      if (horg % MIN_BLOCKSIZE !== 0) continue;
      this.trigger(h >>> start);
      start = this.bhstart;
      end = this.bhend;
      mask = this.rollmask;
      needLast = this.needLastHash;
    }
    this.r1 = r1;
    this.r2 = r2;
    this.r3 = r3;
    this.rn = rn;
    this.totalSize += n;
    return this;
  }

  /** A reset point for block size bhstart, and for each larger one whose trigger condition also holds. */
  private trigger(h: number): void {
    let i = this.bhstart;
    do {
      if (this.dindex[i] === 0) this.tryFork();
      const base = i * SPAMSUM_LENGTH;
      this.digestChars[base + this.dindex[i]!] = B64_CODES[this.hw[i]! & 63]!;
      this.halfdigest[i] = B64_CODES[this.hw[i]! >>> 16]!;
      if (this.dindex[i]! < SPAMSUM_LENGTH - 1) {
        // Only a digest with room left resets its piece hash, so the tail folds into the last character.
        this.dindex[i]!++;
        this.digestChars[base + this.dindex[i]!] = 0;
        this.hw[i] = (this.hw[i]! & 0x3f0000) | HASH_INIT;
        if (this.dindex[i]! < SPAMSUM_LENGTH / 2) {
          this.hw[i] = BOTH_INIT;
          this.halfdigest[i] = 0;
        }
      } else {
        this.tryReduce();
      }
      if (h & 1) break;
      h = h >>> 1;
    } while (++i < this.bhend);
  }

  private tryFork(): void {
    const o = this.bhend - 1;
    if (this.bhend <= this.bhendlimit) {
      const nb = o + 1;
      this.hw[nb] = this.hw[o]!;
      this.digestChars[nb * SPAMSUM_LENGTH] = 0;
      this.halfdigest[nb] = 0;
      this.dindex[nb] = 0;
      this.bhend++;
    } else if (this.bhend === NUM_BLOCKHASHES && !this.needLastHash) {
      this.needLastHash = true;
      this.lasth = this.hw[o]! & 63;
    }
  }

  private tryReduce(): void {
    if (this.bhend - this.bhstart < 2) return;
    if (this.reduceBorder >= this.totalLength) return;
    if (this.dindex[this.bhstart + 1]! < SPAMSUM_LENGTH / 2) return;
    this.bhstart++;
    this.reduceBorder *= 2;
    this.rollmask = this.rollmask * 2 + 1;
  }

  private chars(bi: number, count: number): string {
    const base = bi * SPAMSUM_LENGTH;
    return String.fromCharCode(...this.digestChars.subarray(base, base + count));
  }

  /** The signature `blocksize:hash1:hash2`, as `ssdeep -b` prints it (without the file name). */
  digest(): string {
    if (this.totalSize !== this.totalLength) {
      throw new RangeError(`ssdeep: ${this.totalSize} bytes hashed, ${this.totalLength} announced`);
    }
    if (this.totalSize > SSDEEP_MAX_INPUT) throw new RangeError('ssdeep: input too large');
    const rollSum = (this.r1 + this.r2 + this.r3) | 0;
    let bi = this.bhstart;
    while (blockSize(bi) * SPAMSUM_LENGTH < this.totalSize) bi++;
    if (bi >= this.bhend) bi = this.bhend - 1;
    while (bi > this.bhstart && this.dindex[bi]! < SPAMSUM_LENGTH / 2) bi--;

    let out = `${blockSize(bi)}:`;
    out += this.chars(bi, this.dindex[bi]!);
    if (rollSum !== 0) out += B64[this.hw[bi]! & 63];
    else {
      const pending = this.digestChars[bi * SPAMSUM_LENGTH + this.dindex[bi]!]!;
      if (pending !== 0) out += String.fromCharCode(pending);
    }
    out += ':';
    if (bi < this.bhend - 1) {
      const b2 = bi + 1;
      const len = Math.min(this.dindex[b2]!, SPAMSUM_LENGTH / 2 - 1);
      out += this.chars(b2, len);
      if (rollSum !== 0) out += B64[this.hw[b2]! >>> 16];
      else if (this.halfdigest[b2] !== 0) out += String.fromCharCode(this.halfdigest[b2]!);
    } else if (rollSum !== 0) {
      out += B64[bi === 0 ? this.hw[bi]! & 63 : this.lasth];
    }
    return out;
  }
}

/** ssdeep signature of a whole buffer: `blocksize:hash1:hash2`. */
export function ssdeep(data: Uint8Array): string {
  return new SsdeepHasher(data.length).update(data).digest();
}

// ---- comparison ----

interface ParsedSignature {
  blockSize: number;
  part1: string;
  part2: string;
}

/** Copies a signature part with runs of more than three identical characters cut to three; null if too long. */
function eliminateSequences(part: string): string | null {
  let out = '';
  let seq = 0;
  for (let k = 0; k < part.length; k++) {
    const c = part[k]!;
    if (k > 0 && c === part[k - 1]) {
      if (++seq >= 3) {
        seq = 3;
        continue;
      }
    } else seq = 0;
    out += c;
    if (out.length > SPAMSUM_LENGTH) return null;
  }
  return out;
}

const SIGNATURE_RE = /^\s*(\d+):([^:]*):([^,]*)/;

/** Parses `blocksize:hash1:hash2[,"name"]`, null when malformed (the reference then answers -1). */
export function parseSsdeep(text: string): ParsedSignature | null {
  const m = SIGNATURE_RE.exec(text);
  if (!m) return null;
  const blockSize = Number(m[1]);
  const part1 = eliminateSequences(m[2]!);
  const part2 = eliminateSequences(m[3]!);
  if (!Number.isSafeInteger(blockSize) || part1 === null || part2 === null) return null;
  return { blockSize, part1, part2 };
}

function hasCommonSubstring(s1: string, s2: string): boolean {
  if (s1.length < ROLLING_WINDOW || s2.length < ROLLING_WINDOW) return false;
  const grams = new Set<string>();
  for (let i = 0; i + ROLLING_WINDOW <= s1.length; i++) grams.add(s1.slice(i, i + ROLLING_WINDOW));
  for (let j = 0; j + ROLLING_WINDOW <= s2.length; j++) if (grams.has(s2.slice(j, j + ROLLING_WINDOW))) return true;
  return false;
}

/** Edit distance with insert and delete costing 1 and replace 2 (so s1 + s2 - 2 * LCS), as ssdeep weighs it. */
function editDistance(s1: string, s2: string): number {
  const m = s2.length;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 0; i < s1.length; i++) {
    cur[0] = i + 1;
    for (let j = 0; j < m; j++) {
      const replace = prev[j]! + (s1[i] === s2[j] ? 0 : 2);
      cur[j + 1] = Math.min(prev[j + 1]! + 1, cur[j]! + 1, replace);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

function scoreStrings(s1: string, s2: string, blockSize: number): number {
  if (s1.length < ROLLING_WINDOW || s2.length < ROLLING_WINDOW) return 0;
  if (!hasCommonSubstring(s1, s2)) return 0;
  let score = editDistance(s1, s2);
  score = Math.floor((score * SPAMSUM_LENGTH) / (s1.length + s2.length));
  score = Math.floor((100 * score) / SPAMSUM_LENGTH);
  score = 100 - score;
  // Small block sizes cannot support a high score: cap it by how much data the matching pieces could cover.
  if (blockSize >= Math.floor((99 + ROLLING_WINDOW) / ROLLING_WINDOW) * MIN_BLOCKSIZE) return score;
  const cap = Math.floor(blockSize / MIN_BLOCKSIZE) * Math.min(s1.length, s2.length);
  return score > cap ? cap : score;
}

/**
 * Match score 0..100 of two signatures, as `ssdeep -a -x` reports it; null when either is malformed.
 * Signatures whose block sizes differ by more than a factor of two score 0.
 */
export function ssdeepCompare(a: string, b: string): number | null {
  const s1 = parseSsdeep(a);
  const s2 = parseSsdeep(b);
  if (!s1 || !s2) return null;
  return compareParsed(s1, s2);
}

export function compareParsed(s1: ParsedSignature, s2: ParsedSignature): number {
  const b1 = s1.blockSize;
  const b2 = s2.blockSize;
  if (b1 !== b2 && b1 * 2 !== b2 && (b1 % 2 === 1 || b1 / 2 !== b2)) return 0;
  if (b1 === b2 && s1.part1 === s2.part1 && s1.part2 === s2.part2) return 100;
  if (b1 === b2) return Math.max(scoreStrings(s1.part1, s2.part1, b1), scoreStrings(s1.part2, s2.part2, b1 * 2));
  if (b1 * 2 === b2) return scoreStrings(s2.part1, s1.part2, b2);
  return scoreStrings(s1.part1, s2.part2, b1);
}
