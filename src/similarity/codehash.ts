// Per-function code hashes: instructions with addresses and image pointers normalised away, so they survive relinking.
//
// Each instruction becomes a token: the mnemonic, registers as they are, immediates and displacements kept unless
// they point into the image (then "A"), calls to imports as the import's name, calls to internal functions as "F",
// jumps inside the function as the index of the target block. Moving a function, or the data it refers to, to
// another address therefore leaves its hash unchanged; changing its code, constants or the APIs it calls does not.

import { codeImageFromPe, recoverProgram, type ImportRef, type Insn, type Operand, type Program, type RecoveredFunction, type RecoveryBudget } from '../code/index.js';
import type { PeFile } from '../formats/pe/index.js';
import { Fnv64 } from './hash64.js';

export interface FunctionFeature {
  /** 16 hex digits: FNV-1a 64 of the function's normalised instructions. */
  hash: string;
  /** Relative virtual address of the function's entry. */
  rva: number;
  /** Instructions hashed. */
  insns: number;
}

/** Smaller functions (stubs, getters) are alike across unrelated programs and say nothing. */
export const MIN_FUNCTION_INSNS = 8;
/** Functions kept per sample, largest first: the big ones carry the identity, and storage stays bounded. */
export const MAX_FUNCTIONS_KEPT = 4000;
/** Instructions decoded per sample at most (code recovery's own budget). */
export const MAX_RECOVERY_INSTRUCTIONS = 4_000_000;

interface Context {
  imageStart: number;
  imageEnd: number;
  apiCalls: Map<number, ImportRef>;
  imports: Map<number, ImportRef>;
  blockIndex: Map<number, number>;
}

function apiName(imp: ImportRef): string {
  return `${imp.dll.toLowerCase()}!${imp.name ?? `#${imp.ordinal ?? '?'}`}`;
}

function inImage(ctx: Context, v: number): boolean {
  return v >= ctx.imageStart && v < ctx.imageEnd;
}

function operandToken(ctx: Context, insn: Insn, op: Operand): string {
  switch (op.type) {
    case 'reg':
      return op.reg;
    case 'imm': {
      const v = Number(op.value);
      return inImage(ctx, v) ? 'A' : op.value.toString(16);
    }
    case 'mem': {
      let t = `[${op.base ?? ''}+${op.index ?? ''}*${op.scale}`;
      if (op.absolute !== null) {
        const imp = ctx.imports.get(op.absolute);
        t += imp ? `+${apiName(imp)}` : '+A';
      } else {
        const d = Number(op.disp);
        t += inImage(ctx, d) ? '+A' : `+${op.disp.toString(16)}`;
      }
      return `${t}]${op.size}`;
    }
    case 'branch': {
      const imp = ctx.apiCalls.get(insn.va);
      if (imp) return apiName(imp);
      const block = ctx.blockIndex.get(op.target);
      if (block !== undefined && insn.flow !== 'call') return `L${block}`;
      return insn.flow === 'call' ? 'F' : 'X';
    }
    case 'other':
      return 'o';
  }
}

function hashFunction(ctx: Context, fn: RecoveredFunction): { hash: string; insns: number } {
  ctx.blockIndex.clear();
  fn.blocks.forEach((b, i) => ctx.blockIndex.set(b.va, i));
  const h = new Fnv64();
  let insns = 0;
  for (const b of fn.blocks) {
    h.byte(0x7c);
    for (const insn of b.insns) {
      insns++;
      h.text(insn.seg ? `${insn.seg}:${insn.mnem}` : insn.mnem);
      // An indirect call or jump through the IAT names its API even without a branch operand.
      const api = insn.ops.length === 0 ? ctx.apiCalls.get(insn.va) : undefined;
      if (api) h.text(` ${apiName(api)}`);
      for (const op of insn.ops) {
        h.byte(0x20);
        h.text(operandToken(ctx, insn, op));
      }
      h.byte(0x0a);
    }
  }
  return { hash: h.hex(), insns };
}

/**
 * Function hashes of a PE file, largest functions first up to MAX_FUNCTIONS_KEPT, then in address order.
 * Thunks and functions under MIN_FUNCTION_INSNS instructions are left out. Empty when the code cannot be read.
 */
export function functionHashes(pe: PeFile, budget: RecoveryBudget = {}): FunctionFeature[] {
  const image = codeImageFromPe(pe);
  if (!image) return [];
  return functionHashesOf(recoverProgram(image, { maxInstructions: MAX_RECOVERY_INSTRUCTIONS, ...budget }));
}

/**
 * Whether a program recovered elsewhere (the capability analysis, under its own larger instruction budget) is the
 * one functionHashes would recover: recovery is deterministic, so it is when it ran to completion within
 * MAX_RECOVERY_INSTRUCTIONS.
 */
export function reusableProgram(program: Program | null | undefined): program is Program {
  return !!program && !program.partial && program.instructionCount <= MAX_RECOVERY_INSTRUCTIONS;
}

/** The function hashes of an already recovered program (see functionHashes). */
export function functionHashesOf(program: Program): FunctionFeature[] {
  const image = program.view.image;
  const ctx: Context = {
    imageStart: image.imageBase,
    imageEnd: image.imageBase + image.sizeOfImage,
    apiCalls: program.apiCalls,
    imports: image.imports,
    blockIndex: new Map(),
  };
  const out: FunctionFeature[] = [];
  for (const fn of program.functions.values()) {
    if (fn.thunk) continue;
    let count = 0;
    for (const b of fn.blocks) count += b.insns.length;
    if (count < MIN_FUNCTION_INSNS) continue;
    const { hash, insns } = hashFunction(ctx, fn);
    out.push({ hash, rva: fn.va - image.imageBase, insns });
  }
  if (out.length > MAX_FUNCTIONS_KEPT) {
    out.sort((a, b) => b.insns - a.insns || a.rva - b.rva);
    out.length = MAX_FUNCTIONS_KEPT;
  }
  return out.sort((a, b) => a.rva - b.rva);
}
