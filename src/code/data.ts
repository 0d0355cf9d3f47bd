// What instruction operands point at: pointer chains into the image, and the ASCII or UTF-16LE strings found there.

import type { Insn, Operand } from './decode.js';
import type { ImageView } from './image.js';
import { MAX_DEREF_DEPTH, MAX_STRING_CHARS, MIN_STRING_CHARS } from './limits.js';

/** Printable ASCII plus tab, CR and LF: what counts as a character of a string in code references. */
function printable(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** Memoized reads of strings and pointer chains at virtual addresses; one per analysed image. */
export class DataRefs {
  private readonly strings = new Map<number, string | null>();
  private readonly chains = new Map<number, number[]>();

  constructor(readonly view: ImageView) {}

  /**
   * The string at `va`: ASCII first, then UTF-16LE, each at least MIN_STRING_CHARS long and ended by a NUL (or
   * the end of the section's data, or MAX_STRING_CHARS). Null when there is none.
   */
  stringAt(va: number): string | null {
    const hit = this.strings.get(va);
    if (hit !== undefined) return hit;
    const s = this.readString(va);
    this.strings.set(va, s);
    return s;
  }

  private readString(va: number): string | null {
    const b = this.view.bytesAt(va, MAX_STRING_CHARS * 2 + 2);
    if (!b || b.length < MIN_STRING_CHARS) return null;
    let n = 0;
    while (n < b.length && n < MAX_STRING_CHARS && printable(b[n]!)) n++;
    if (n >= MIN_STRING_CHARS && (n === b.length || n === MAX_STRING_CHARS || b[n] === 0)) {
      let s = '';
      for (let k = 0; k < n; k++) s += String.fromCharCode(b[k]!);
      return s;
    }
    let m = 0;
    while (2 * m + 1 < b.length && m < MAX_STRING_CHARS && printable(b[2 * m]!) && b[2 * m + 1] === 0) m++;
    const end = 2 * m;
    if (m >= MIN_STRING_CHARS && (end + 1 >= b.length || m === MAX_STRING_CHARS || (b[end] === 0 && b[end + 1] === 0))) {
      let s = '';
      for (let k = 0; k < m; k++) s += String.fromCharCode(b[2 * k]!);
      return s;
    }
    return null;
  }

  /**
   * capa's derefs: `p`, then the pointer stored at `p`, and so on while each is mapped, stopping at a string
   * (a string is never read as a pointer), a self-pointer, or MAX_DEREF_DEPTH links.
   */
  derefs(p: number): number[] {
    const hit = this.chains.get(p);
    if (hit) return hit;
    const out: number[] = [];
    let cur = p;
    for (let depth = 0; depth <= MAX_DEREF_DEPTH; depth++) {
      if (!Number.isSafeInteger(cur) || !this.view.isMapped(cur)) break;
      out.push(cur);
      if (this.stringAt(cur) !== null) break;
      const next = this.view.readPointer(cur);
      if (next === null || next === cur) break;
      cur = next;
    }
    this.chains.set(p, out);
    return out;
  }
}

/** The address an operand names in the image, if any: an immediate, `[disp]`, RIP-relative, or a table base. */
export function operandAddress(op: Operand): number | null {
  if (op.type === 'imm') return op.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(op.value) : null;
  if (op.type === 'mem') {
    if (op.absolute !== null) return op.absolute;
    if (op.index !== null && op.disp > 0n) return Number(op.disp);
  }
  return null;
}

/**
 * The image addresses an instruction's operands point into (immediates, absolute and RIP-relative memory,
 * table bases), excluding branch targets. For code hashing that must ignore relocation: these are the values
 * that change when the image moves.
 */
export function referencedAddresses(insn: Insn, view: ImageView): number[] {
  const out: number[] = [];
  for (const op of insn.ops) {
    const a = operandAddress(op);
    if (a !== null && view.isMapped(a)) out.push(a);
  }
  return out;
}
