// Code-scope features from recovered code: what capa's vivisect backend yields per instruction, block and function.

import { DataRefs } from '../code/data.js';
import type { Insn, Operand } from '../code/decode.js';
import { hasLoop } from '../code/graph.js';
import type { BasicBlock, Program, RecoveredFunction } from '../code/recover.js';
import { STACK_REGS } from '../code/registers.js';
import { featureKey, type Characteristic, type ExtractedFeature } from './feature.js';
import type { FeatureSink } from './extractor.js';
import { symbolNames } from './symbols.js';

/** capa's limit on bytes read for a `bytes` feature. */
export const MAX_BYTES_FEATURE_SIZE = 0x100;
/** capa's largest structure offset for `add reg, imm` to also count as an offset. */
export const MAX_STRUCTURE_SIZE = 0x10000;
/** capa's stack-string threshold: more than this many printable bytes moved onto the stack in one block. */
export const MIN_STACKSTRING_LEN = 8;
/** capa's window for security-cookie XORs at the start or end of a function. */
export const SECURITY_COOKIE_BYTES_DELTA = 0x40;

const XORS = new Set(['xor', 'xorpd', 'xorps', 'pxor']);
const BASIC_BLOCK: Interned = { f: { type: 'basic-block' }, key: featureKey({ type: 'basic-block' }) };
/** Extra names a mnemonic answers to, for rules written against other disassemblers (IDA's `retn`, `icebp`). */
const MNEMONIC_ALIASES: Record<string, string[]> = { ret: ['retn'], int1: ['icebp'] };

function sameOperand(a: Operand | undefined, b: Operand | undefined): boolean {
  if (!a || !b || a.type !== b.type) return false;
  if (a.type === 'reg' && b.type === 'reg') return a.reg === b.reg;
  if (a.type === 'mem' && b.type === 'mem') return a.base === b.base && a.index === b.index && a.scale === b.scale && a.disp === b.disp && a.absolute === b.absolute;
  if (a.type === 'imm' && b.type === 'imm') return a.value === b.value;
  return false;
}

function allZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

interface Interned {
  f: ExtractedFeature;
  key: string;
}

/**
 * One feature object and key per distinct feature of an image: a large DLL yields millions of (feature, address)
 * pairs but only thousands of distinct features, and allocating each pair's object and key was most of the cost.
 */
class Interner {
  private readonly strs = new Map<string, Map<string, Interned>>();
  private readonly nums = new Map<string, Map<bigint, Interned>>();
  private readonly bytesAt = new Map<number, Interned>();

  private make(f: ExtractedFeature): Interned {
    return { f, key: featureKey(f) };
  }

  text(type: 'api' | 'string' | 'mnemonic' | 'characteristic', value: string): Interned {
    let m = this.strs.get(type);
    if (!m) this.strs.set(type, (m = new Map()));
    let e = m.get(value);
    if (!e) m.set(value, (e = this.make(type === 'characteristic' ? { type, value: value as Characteristic } : { type, value })));
    return e;
  }

  num(type: 'number' | 'offset' | 'operand-number' | 'operand-offset', index: number, value: bigint): Interned {
    const t = type === 'number' || type === 'offset' ? type : `${type}${index}`;
    let m = this.nums.get(t);
    if (!m) this.nums.set(t, (m = new Map()));
    let e = m.get(value);
    if (!e) {
      const f: ExtractedFeature = type === 'number' || type === 'offset' ? { type, value } : { type, index, value };
      m.set(value, (e = this.make(f)));
    }
    return e;
  }

  bytes(va: number, value: Uint8Array): Interned {
    let e = this.bytesAt.get(va);
    if (!e) this.bytesAt.set(va, (e = this.make({ type: 'bytes', value, va })));
    return e;
  }
}

/** Code-scope feature extraction over a recovered Program; the file-scope half is features/file.ts. */
export class CodeFeatures {
  readonly data: DataRefs;
  private readonly imports: Map<number, unknown>;
  private readonly i = new Interner();
  private readonly bytesMemo = new Map<number, Interned | null>();

  constructor(readonly program: Program) {
    this.data = new DataRefs(program.view);
    this.imports = program.view.image.imports;
  }

  /** The bytes feature for data at `p`, memoized: null for unmapped, all-zero or string data. */
  private bytesFeature(p: number): Interned | null {
    const hit = this.bytesMemo.get(p);
    if (hit !== undefined) return hit;
    const buf = this.program.view.bytesAt(p, MAX_BYTES_FEATURE_SIZE);
    const e = !buf || buf.length === 0 || allZero(buf) || this.data.stringAt(p) !== null ? null : this.i.bytes(p, buf);
    this.bytesMemo.set(p, e);
    return e;
  }

  private text(sink: FeatureSink, type: 'api' | 'string' | 'mnemonic' | 'characteristic', value: string, a: number): void {
    const e = this.i.text(type, value);
    sink(e.f, a, e.key);
  }

  private num(sink: FeatureSink, type: 'number' | 'offset' | 'operand-number' | 'operand-offset', index: number, value: bigint, a: number): void {
    const e = this.i.num(type, index, value);
    sink(e.f, a, e.key);
  }

  /** api, bytes, characteristics, mnemonic, operand numbers, offsets and strings of one instruction. */
  instruction(f: RecoveredFunction, bb: BasicBlock, insn: Insn, sink: FeatureSink): void {
    const a = insn.va;
    const view = this.program.view;
    const isCall = insn.flow === 'call' || insn.flow === 'call-indirect';
    const isJmp = insn.flow === 'jmp' || insn.flow === 'jmp-indirect';
    const op0 = insn.ops[0];

    // api: a call (or a jump outside a thunk) that reaches an import.
    if (isCall || (isJmp && !f.thunk)) {
      const imp = this.program.apiCalls.get(a);
      if (imp) for (const name of symbolNames(imp.dll, imp.name, imp.ordinal, false)) this.text(sink, 'api', name, a);
    }

    // bytes: data an operand points at, unless it is a string or all zero (capa skips calls).
    if (!isCall) {
      for (const op of insn.ops) {
        let v: number | null = null;
        if (op.type === 'imm') v = op.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(op.value) : null;
        else if (op.type === 'mem' && op.absolute !== null && (op.base === 'rip' || op.base === 'eip')) v = op.absolute;
        else if (op.type === 'mem' && op.base !== null && op.base !== 'rip' && op.base !== 'eip') v = Number(op.disp);
        else if (op.type === 'mem' && op.index !== null) v = Number(op.disp);
        if (v === null) continue;
        for (const p of this.data.derefs(v)) {
          const e = this.bytesFeature(p);
          if (e) sink(e.f, a, e.key);
        }
      }
    }

    // nzxor, except the security-cookie XOR near the start or end of a function.
    if (XORS.has(insn.mnem) && insn.ops.length >= 2 && !sameOperand(insn.ops[0], insn.ops[1]) && !this.isSecurityCookie(f, bb, insn)) {
      this.text(sink, 'characteristic', 'nzxor', a);
    }

    this.text(sink, 'mnemonic', insn.mnem, a);
    for (const alias of MNEMONIC_ALIASES[insn.mnem] ?? []) this.text(sink, 'mnemonic', alias, a);

    // call $+5
    if (insn.mnem === 'call' && op0) {
      if ((op0.type === 'branch' && op0.target === a + 5) || (op0.type === 'mem' && op0.absolute === a + 5)) {
        this.text(sink, 'characteristic', 'call $+5', a);
      }
    }

    // peb access: fs:[30h] on x86, gs:[60h] on x64.
    if ((insn.mnem === 'push' || insn.mnem === 'mov') && insn.seg) {
      const want = insn.seg === 'fs' ? 0x30 : 0x60;
      for (const op of insn.ops) {
        if (op.type !== 'mem') continue;
        if ((op.absolute !== null && op.absolute === want) || (op.base !== null && op.disp === BigInt(want))) {
          this.text(sink, 'characteristic', 'peb access', a);
        }
      }
    }

    // cross section flow: a direct branch into another section (calls to imports do not count).
    if (insn.flow === 'call' || insn.flow === 'jmp' || insn.flow === 'jcc') {
      if (op0?.type === 'branch') {
        const from = view.sectionAt(a);
        const to = view.sectionAt(op0.target);
        if (from && to && from !== to) this.text(sink, 'characteristic', 'cross section flow', a);
      }
    } else if (insn.flow === 'jmp-indirect' && op0?.type === 'mem' && op0.absolute !== null && !op0.index && !this.imports.has(op0.absolute)) {
      const t = view.readPointer(op0.absolute);
      const from = view.sectionAt(a);
      const to = t === null ? null : view.sectionAt(t);
      if (from && to && from !== to) this.text(sink, 'characteristic', 'cross section flow', a);
    }

    if (insn.seg === 'fs') this.text(sink, 'characteristic', 'fs access', a);
    if (insn.seg === 'gs') this.text(sink, 'characteristic', 'gs access', a);

    // calls from (located at the target) and recursive call.
    if (insn.mnem === 'call' && op0) {
      let target: number | null = null;
      if (op0.type === 'branch') target = op0.target;
      else if (op0.type === 'mem' && op0.absolute !== null && !op0.index) target = op0.absolute;
      if (target !== null && target >= 0) {
        this.text(sink, 'characteristic', 'calls from', target);
        if (target === f.va) this.text(sink, 'characteristic', 'recursive call', target);
      }
      // indirect call: through a register or a register-based memory operand.
      if (op0.type === 'reg' || (op0.type === 'mem' && op0.absolute === null)) this.text(sink, 'characteristic', 'indirect call', a);
    }

    for (let i = 0; i < insn.ops.length; i++) this.operand(insn, i, insn.ops[i]!, sink);
  }

  private operand(insn: Insn, i: number, op: Operand, sink: FeatureSink): void {
    const a = insn.va;
    const view = this.program.view;
    // number: immediates and `[disp]` operands that are not addresses in the image.
    if (op.type === 'imm' || (op.type === 'mem' && op.absolute !== null && op.base === null && op.index === null)) {
      const v = op.type === 'imm' ? op.value : BigInt(op.absolute!);
      const asAddr = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : -1;
      const isAddr = asAddr >= 0 && view.isMapped(asAddr);
      const stackAdjust = insn.mnem === 'add' && insn.ops[0]?.type === 'reg' && (insn.ops[0].reg === 'esp' || insn.ops[0].reg === 'rsp');
      if (!isAddr && !stackAdjust) {
        this.num(sink, 'number', i, v, a);
        this.num(sink, 'operand-number', i, v, a);
        if (insn.mnem === 'add' && op.type === 'imm' && v > 0n && v < BigInt(MAX_STRUCTURE_SIZE)) {
          this.num(sink, 'offset', i, v, a);
          this.num(sink, 'operand-offset', i, v, a);
        }
      }
    }
    // offset: structure displacements ([reg+disp], not the stack or frame pointer; [base+index*s+disp] always).
    if (op.type === 'mem' && op.base !== 'rip' && op.base !== 'eip' && op.absolute === null) {
      if (op.index === null && op.base !== null) {
        if (!STACK_REGS.has(op.base)) {
          this.num(sink, 'offset', i, op.disp, a);
          this.num(sink, 'operand-offset', i, op.disp, a);
          if (insn.mnem === 'lea' && i === 1) {
            const asAddr = op.disp >= 0n && op.disp <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(op.disp) : -1;
            if (!(asAddr >= 0 && view.isMapped(asAddr))) {
              const n = BigInt.asUintN(this.program.view.bitness, op.disp);
              this.num(sink, 'number', i, n, a);
              this.num(sink, 'operand-number', i, n, a);
            }
          }
        }
      } else if (op.index !== null) {
        this.num(sink, 'offset', i, op.disp, a);
        this.num(sink, 'operand-offset', i, op.disp, a);
      }
    }
    // string: what an immediate, `[disp]`, a table base or a RIP-relative operand points at.
    let p: number | null = null;
    if (op.type === 'imm') p = op.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(op.value) : null;
    else if (op.type === 'mem' && op.absolute !== null) p = op.absolute;
    else if (op.type === 'mem' && op.index !== null && op.disp > 0n) p = Number(op.disp);
    if (p !== null) {
      for (const q of this.data.derefs(p)) {
        const s = this.data.stringAt(q);
        if (s !== null) this.text(sink, 'string', s, a);
      }
    }
  }

  /** capa's is_security_cookie: an XOR with the stack or frame pointer in the first or returning block's edges. */
  private isSecurityCookie(f: RecoveredFunction, bb: BasicBlock, insn: Insn): boolean {
    const src = insn.ops[1];
    if (src?.type === 'reg' && !STACK_REGS.has(src.reg)) return false;
    const bb0 = f.blocks[0];
    if (bb === bb0 && insn.va < bb.va + SECURITY_COOKIE_BYTES_DELTA) return true;
    const last = bb.insns[bb.insns.length - 1]!;
    const end = last.va + last.size;
    return last.flow === 'ret' && insn.va > end - SECURITY_COOKIE_BYTES_DELTA;
  }

  /** basic block, tight loop, stack string, and the stack strings themselves as string features. */
  basicBlock(_f: RecoveredFunction, bb: BasicBlock, sink: FeatureSink): void {
    sink(BASIC_BLOCK.f, bb.va, BASIC_BLOCK.key);
    const last = bb.insns[bb.insns.length - 1];
    if (last && last.flow === 'jcc' && last.ops[0]?.type === 'branch' && last.ops[0].target === bb.va) {
      this.text(sink, 'characteristic', 'tight loop', bb.va);
    }
    let count = 0;
    let flagged = false;
    for (const insn of bb.insns) {
      if (!isMovImmToStack(insn)) continue;
      count += printableLen(insn.ops[1] as Extract<Operand, { type: 'imm' }>);
      if (count > MIN_STACKSTRING_LEN && !flagged) {
        this.text(sink, 'characteristic', 'stack string', bb.va);
        flagged = true;
      }
    }
    if (flagged) for (const [s, at] of stackStrings(bb)) this.text(sink, 'string', s, at);
  }

  /** calls to (one per calling instruction) and loop. */
  function(f: RecoveredFunction, sink: FeatureSink): void {
    for (const c of f.callers) this.text(sink, 'characteristic', 'calls to', c);
    if (hasLoop(f.blocks)) this.text(sink, 'characteristic', 'loop', f.va);
  }
}

/** `mov [esp/ebp/rsp/rbp + x], imm` (capa's is_mov_imm_to_stack). */
function isMovImmToStack(insn: Insn): boolean {
  if (!insn.mnem.startsWith('mov') || insn.ops.length !== 2) return false;
  const [dst, src] = insn.ops;
  return src!.type === 'imm' && dst!.type === 'mem' && dst!.base !== null && STACK_REGS.has(dst!.base);
}

function immBytes(op: Extract<Operand, { type: 'imm' }>): number[] {
  const out: number[] = [];
  let v = op.value;
  for (let k = 0; k < op.encBytes; k++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

function isPrintableAscii(chars: number[]): boolean {
  // Python's string.printable: digits, letters, punctuation and whitespace (space, \t \n \r \x0b \x0c).
  return chars.every((c) => (c >= 0x20 && c < 0x7f) || (c >= 0x09 && c <= 0x0d));
}

/** capa's get_printable_len: the immediate's bytes if all printable ASCII, half of them if printable UTF-16LE. */
function printableLen(op: Extract<Operand, { type: 'imm' }>): number {
  const chars = immBytes(op);
  if (isPrintableAscii(chars)) return op.encBytes;
  const odd = chars.filter((_, k) => k % 2 === 1);
  if (odd.every((c) => c === 0) && isPrintableAscii(chars.filter((_, k) => k % 2 === 0))) return Math.floor(op.encBytes / 2);
  return 0;
}

/**
 * The strings a block builds on the stack: the bytes of `mov [base+off], imm` laid out by offset, cut at NULs and
 * gaps, read as ASCII or UTF-16LE. capa only flags the characteristic; the text lets string rules see it too.
 */
function stackStrings(bb: BasicBlock): [string, number][] {
  const bytes = new Map<string, Map<number, number>>();
  const firstAt = new Map<string, number>();
  for (const insn of bb.insns) {
    if (!isMovImmToStack(insn)) continue;
    const dst = insn.ops[0] as Extract<Operand, { type: 'mem' }>;
    const key = dst.base!;
    let m = bytes.get(key);
    if (!m) (bytes.set(key, (m = new Map())), firstAt.set(key, insn.va));
    const off = Number(dst.disp);
    immBytes(insn.ops[1] as Extract<Operand, { type: 'imm' }>).forEach((b, k) => m!.set(off + k, b));
  }
  const out: [string, number][] = [];
  for (const [key, m] of bytes) {
    const offs = [...m.keys()].sort((x, y) => x - y);
    let run: number[] = [];
    const flush = () => {
      const s = decodeRun(run);
      if (s) out.push([s, firstAt.get(key)!]);
      run = [];
    };
    let prev = Number.NaN;
    for (const o of offs) {
      if (o !== prev + 1) flush();
      run.push(m.get(o)!);
      prev = o;
    }
    flush();
  }
  return out;
}

function decodeRun(run: number[]): string | null {
  const wide = run.length >= 8 && run.filter((_, k) => k % 2 === 1).every((c) => c === 0);
  const chars = wide ? run.filter((_, k) => k % 2 === 0) : run;
  let s = '';
  for (const c of chars) {
    if (c === 0) break;
    if (!((c >= 0x20 && c < 0x7f) || c === 0x09)) return null;
    s += String.fromCharCode(c);
  }
  return s.length >= 4 ? s : null;
}

export type { ExtractedFeature };
