// The one place that talks to iced-x86: decodes instructions at virtual addresses into plain, engine-free records.

import { Decoder, DecoderOptions, FlowControl, Instruction, Mnemonic, OpKind, Register } from 'iced-x86';
import type { ImageSection, ImageView } from './image.js';

export type Flow = 'next' | 'jmp' | 'jmp-indirect' | 'jcc' | 'ret' | 'call' | 'call-indirect' | 'int' | 'other' | 'invalid';

export type Operand =
  | { type: 'reg'; reg: string }
  /**
   * `bits` is the immediate's width after sign extension (8, 16, 32, 64) and `value` is unsigned in that width;
   * `encBytes` is how many bytes the instruction encodes (an imm8 sign-extended to 32 bits has 1).
   */
  | { type: 'imm'; value: bigint; bits: number; encBytes: number }
  | {
      type: 'mem';
      base: string | null;
      index: string | null;
      scale: number;
      /** Signed displacement (for RIP-relative operands, the signed distance is not kept; see `absolute`). */
      disp: bigint;
      /** The address the operand names when it needs no register: RIP-relative, or `[disp]` alone. */
      absolute: number | null;
      /** Access size in bytes (0 when unknown). */
      size: number;
    }
  | { type: 'branch'; target: number }
  | { type: 'other' };

export interface Insn {
  va: number;
  size: number;
  /** Lower-case mnemonic as iced names it (`xor`, `pushad`, `int3`). */
  mnem: string;
  flow: Flow;
  ops: Operand[];
  /** An explicit fs/gs segment override, the only ones that mean anything in user-mode Windows code. */
  seg: 'fs' | 'gs' | null;
}

const MNEMONICS: string[] = [];
for (const [k, v] of Object.entries(Mnemonic)) if (typeof v === 'number') MNEMONICS[v] = k.toLowerCase();
const REGISTERS: (string | null)[] = [];
for (const [k, v] of Object.entries(Register)) if (typeof v === 'number') REGISTERS[v] = v === Register.None ? null : k.toLowerCase();
/** Register operands are immutable and few: one shared object per register instead of one per use. */
const REG_OPERANDS: Operand[] = REGISTERS.map((r) => Object.freeze({ type: 'reg', reg: r ?? '?' }) as Operand);

const FLOW: Record<number, Flow> = {
  [FlowControl.Next]: 'next',
  [FlowControl.UnconditionalBranch]: 'jmp',
  [FlowControl.IndirectBranch]: 'jmp-indirect',
  [FlowControl.ConditionalBranch]: 'jcc',
  [FlowControl.Return]: 'ret',
  [FlowControl.Call]: 'call',
  [FlowControl.IndirectCall]: 'call-indirect',
  [FlowControl.Interrupt]: 'int',
  [FlowControl.XbeginXabortXend]: 'other',
  [FlowControl.Exception]: 'other',
};

/** Per immediate operand kind: its width after sign extension, and how many bytes the instruction encodes. */
const IMM: Record<number, [bits: number, encBytes: number]> = {
  [OpKind.Immediate8]: [8, 1],
  [OpKind.Immediate8_2nd]: [8, 1],
  [OpKind.Immediate16]: [16, 2],
  [OpKind.Immediate32]: [32, 4],
  [OpKind.Immediate64]: [64, 8],
  [OpKind.Immediate8to16]: [16, 1],
  [OpKind.Immediate8to32]: [32, 1],
  [OpKind.Immediate8to64]: [64, 1],
  [OpKind.Immediate32to64]: [64, 4],
};

/** Longest x86 instruction. */
export const MAX_INSN_SIZE = 15;

/**
 * Decodes by virtual address with one iced decoder per executable section, reusing one Instruction object:
 * every property read crosses into WebAssembly, so each instruction is read once into an Insn and never again.
 */
export class InsnDecoder {
  private readonly decoders = new Map<ImageSection, Decoder>();
  private readonly insn = new Instruction();
  /** Instructions decoded so far, for the budget. */
  decoded = 0;

  constructor(private readonly view: ImageView) {}

  private decoderFor(s: ImageSection): Decoder {
    let d = this.decoders.get(s);
    if (!d) {
      d = new Decoder(this.view.bitness, s.data, DecoderOptions.None);
      this.decoders.set(s, d);
    }
    return d;
  }

  /** Decodes the instruction at `va`, or returns null when `va` is not in an executable section's file data. */
  decodeAt(va: number): Insn | null {
    const s = this.view.sectionAt(va);
    if (!s || !s.executable) return null;
    const off = va - s.va;
    if (off < 0 || off >= s.data.length) return null;
    const d = this.decoderFor(s);
    d.position = off;
    d.ip = BigInt(va);
    const i = this.insn;
    d.decodeOut(i);
    this.decoded++;
    return this.read(i, va);
  }

  private read(i: Instruction, va: number): Insn {
    const size = i.length;
    if (i.isInvalid) return { va, size: Math.max(size, 1), mnem: '(bad)', flow: 'invalid', ops: [], seg: null };
    const mnem = MNEMONICS[i.mnemonic] ?? 'unknown';
    const flow = FLOW[i.flowControl] ?? 'other';
    const n = i.opCount;
    const ops: Operand[] = [];
    const is64 = this.view.bitness === 64;
    for (let k = 0; k < n; k++) {
      const kind = i.opKind(k);
      if (kind === OpKind.Register) {
        ops.push(REG_OPERANDS[i.opRegister(k)] ?? { type: 'reg', reg: '?' });
      } else if (kind === OpKind.Memory) {
        const base = REGISTERS[i.memoryBase] ?? null;
        const index = REGISTERS[i.memoryIndex] ?? null;
        const raw = i.memoryDisplacement;
        let disp: bigint;
        let absolute: number | null = null;
        if (base === 'rip' || base === 'eip') {
          absolute = Number(BigInt.asUintN(64, raw));
          disp = 0n;
        } else if (is64) {
          disp = BigInt.asIntN(64, raw);
          if (!base && !index) absolute = Number(BigInt.asUintN(64, raw));
        } else {
          disp = BigInt.asIntN(32, raw);
          if (!base && !index) absolute = Number(BigInt.asUintN(32, raw));
        }
        ops.push({ type: 'mem', base, index, scale: index ? i.memoryIndexScale : 1, disp, absolute, size: 0 });
      } else if (kind === OpKind.NearBranch16 || kind === OpKind.NearBranch32 || kind === OpKind.NearBranch64) {
        ops.push({ type: 'branch', target: Number(i.nearBranchTarget) });
      } else {
        const imm = IMM[kind];
        if (imm !== undefined) ops.push({ type: 'imm', value: BigInt.asUintN(imm[0], i.immediate(k)), bits: imm[0], encBytes: imm[1] });
        else ops.push({ type: 'other' });
      }
    }
    let seg: 'fs' | 'gs' | null = null;
    if (i.hasSegmentPrefix) {
      const sp = i.segmentPrefix;
      if (sp === Register.FS) seg = 'fs';
      else if (sp === Register.GS) seg = 'gs';
    }
    return { va, size, mnem, flow, ops, seg };
  }

  /** Frees the WebAssembly memory of every decoder; the decoder must not be used afterwards. */
  dispose(): void {
    for (const d of this.decoders.values()) d.free();
    this.decoders.clear();
    this.insn.free();
  }
}
