// Code recovery's public face: a PE in, functions with blocks and decoded instructions out, and what operands point at.

export type { Insn, Operand, Flow } from './decode.js';
export type { CodeImage, ImageSection, ImportRef, EntryPoint, EntryKind } from './image.js';
export { ImageView } from './image.js';
export type { Program, RecoveredFunction, BasicBlock, FunctionSource } from './recover.js';
export { recoverProgram } from './recover.js';
export { codeImageFromPe, codeBitness, imageBaseOf } from './pe-image.js';
export { DataRefs, operandAddress, referencedAddresses } from './data.js';
export { componentSizes, hasLoop } from './graph.js';
export type { RecoveryBudget } from './limits.js';
export * as limits from './limits.js';

import type { Insn } from './decode.js';
import type { RecoveredFunction } from './recover.js';

/** A function's instructions in address order (blocks are in address order after the entry block). */
export function functionInstructions(f: RecoveredFunction): Insn[] {
  return f.blocks.flatMap((b) => b.insns).sort((a, b) => a.va - b.va);
}
