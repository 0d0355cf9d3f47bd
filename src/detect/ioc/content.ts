// Finds many byte patterns in one pass: an Aho-Corasick automaton compiled to a dense DFA over byte classes.
//
// Hand-written because the npm Aho-Corasick packages search JS strings, not bytes, and allocate per match; a
// sweep runs this on every file, so the inner loop is one table load per byte with no allocation. Case folding
// (ASCII only) is built into the byte classes; exact-case patterns and boundary rules are checked per candidate.

import { FirebreakError } from '../../core/errors.js';

export interface Needle {
  bytes: Uint8Array;
  /** Match ASCII letters in either case. */
  foldCase: boolean;
  /** Extra test at a candidate (e.g. domain boundaries); `start` and `end` (exclusive) are byte offsets. */
  accept?: (data: Uint8Array, start: number, end: number) => boolean;
}

/** Transition-table entries allowed (states x byte classes): 32 M entries, 128 MiB. */
export const MAX_TABLE_ENTRIES = 32 * 1024 * 1024;
/** Longest needle. */
export const MAX_NEEDLE_BYTES = 4096;

const FOLD = new Uint8Array(256);
for (let b = 0; b < 256; b++) FOLD[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;

export class ContentAutomaton {
  /** Byte -> class; class 0 is every byte no needle uses. Letters fold to one class. */
  private readonly cls = new Uint16Array(256);
  private readonly classes: number;
  /**
   * delta[state * classes + class] = next state's row offset (state * classes), bit-inverted when that state
   * ends a needle, so the scan loop tests one sign per byte.
   */
  private readonly delta: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outList: Int32Array;
  /** Bytes that leave the root state: everything else is skipped by a tighter loop while no match is under way. */
  private readonly leavesRoot = new Uint8Array(256);
  readonly size: number;

  constructor(private readonly needles: readonly Needle[]) {
    this.size = needles.length;
    let nextClass = 1;
    let totalBytes = 0;
    for (const n of needles) {
      if (n.bytes.length === 0 || n.bytes.length > MAX_NEEDLE_BYTES) {
        throw new FirebreakError('E_LIMIT', `content pattern of ${n.bytes.length} bytes (1..${MAX_NEEDLE_BYTES})`);
      }
      totalBytes += n.bytes.length;
      for (const b of n.bytes) {
        const f = FOLD[b]!;
        if (this.cls[f] === 0) this.cls[f] = nextClass++;
      }
    }
    // Upper-case letters share their lower-case class: case-sensitive needles are re-checked on a candidate.
    for (let b = 0x41; b <= 0x5a; b++) this.cls[b] = this.cls[b + 0x20]!;
    const C = (this.classes = nextClass);
    const maxStates = totalBytes + 1;
    if (maxStates * C > MAX_TABLE_ENTRIES) {
      throw new FirebreakError('E_LIMIT', `content indicators need ${maxStates * C} automaton entries (limit ${MAX_TABLE_ENTRIES})`);
    }
    // Trie.
    const go = new Int32Array(maxStates * C).fill(-1);
    const own: number[][] = [[]];
    let states = 1;
    needles.forEach((n, id) => {
      let s = 0;
      for (const b of n.bytes) {
        const c = this.cls[b]!;
        let t = go[s * C + c]!;
        if (t < 0) {
          t = states++;
          go[s * C + c] = t;
          own.push([]);
        }
        s = t;
      }
      own[s]!.push(id);
    });
    // Failure links in breadth-first order, turning the trie into a complete DFA as it goes.
    const fail = new Int32Array(states);
    const order = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let c = 0; c < C; c++) {
      const t = go[c]!;
      if (t < 0) go[c] = 0;
      else {
        fail[t] = 0;
        order[tail++] = t;
      }
    }
    while (head < tail) {
      const s = order[head++]!;
      for (let c = 0; c < C; c++) {
        const t = go[s * C + c]!;
        if (t < 0) go[s * C + c] = go[fail[s]! * C + c]!;
        else {
          fail[t] = go[fail[s]! * C + c]!;
          order[tail++] = t;
        }
      }
    }
    // Outputs: a state's own needles plus those of its failure chain (already complete, by BFS order).
    const outs: number[][] = new Array<number[]>(states);
    outs[0] = own[0]!;
    for (let k = 0; k < tail; k++) {
      const s = order[k]!;
      const o = own[s]!;
      const inherited = outs[fail[s]!]!;
      outs[s] = inherited.length === 0 ? o : o.concat(inherited);
    }
    this.outStart = new Int32Array(states + 1);
    let total = 0;
    for (let s = 0; s < states; s++) {
      this.outStart[s] = total;
      total += outs[s]!.length;
    }
    this.outStart[states] = total;
    this.outList = new Int32Array(total);
    for (let s = 0, k = 0; s < states; s++) for (const id of outs[s]!) this.outList[k++] = id;
    this.delta = new Int32Array(states * C);
    for (let i = 0; i < states * C; i++) {
      const t = go[i]!;
      this.delta[i] = outs[t]!.length > 0 ? ~(t * C) : t * C;
    }
    for (let b = 0; b < 256; b++) this.leavesRoot[b] = this.delta[this.cls[b]!] === 0 ? 0 : 1;
  }

  /**
   * Calls `onMatch(needle, start)` for every occurrence that passes the case and boundary checks, in order of
   * its end offset. Return `false` from `onMatch` to stop early.
   */
  scan(data: Uint8Array, onMatch: (needle: number, start: number) => boolean | void): void {
    const { delta, cls, outStart, outList, needles, leavesRoot } = this;
    const C = this.classes;
    const n = data.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      if (s === 0) {
        while (i < n && leavesRoot[data[i]!] === 0) i++;
        if (i === n) break;
      }
      const t = delta[s + cls[data[i]!]!]!;
      if (t >= 0) {
        s = t;
        continue;
      }
      s = ~t;
      const state = s / C;
      for (let k = outStart[state]!; k < outStart[state + 1]!; k++) {
        const id = outList[k]!;
        const needle = needles[id]!;
        const len = needle.bytes.length;
        const start = i - len + 1;
        if (!needle.foldCase && !sameBytes(data, start, needle.bytes)) continue;
        if (needle.accept && !needle.accept(data, start, i + 1)) continue;
        if (onMatch(id, start) === false) return;
      }
    }
  }
}

function sameBytes(data: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let j = 0; j < bytes.length; j++) if (data[at + j] !== bytes[j]) return false;
  return true;
}
