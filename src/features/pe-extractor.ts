// The PE backend of the extractor contract: file scope from formats/pe facts, code scopes from recovered code.

import type { Insn } from '../code/decode.js';
import type { BasicBlock, Program, RecoveredFunction } from '../code/recover.js';
import { CodeFeatures } from './code.js';
import type { FeatureSink, StaticFeatureExtractor } from './extractor.js';
import { extractFileFeatures, extractGlobalFeatures, type FileFacts } from './file.js';

export interface FnHandle {
  readonly address: number;
  readonly fn: RecoveredFunction;
}
export interface BbHandle {
  readonly address: number;
  readonly bb: BasicBlock;
}
export interface InsnHandle {
  readonly address: number;
  readonly insn: Insn;
}

export class PeFeatureExtractor implements StaticFeatureExtractor<FnHandle, BbHandle, InsnHandle> {
  readonly code: CodeFeatures;

  constructor(
    readonly program: Program,
    readonly facts: FileFacts,
  ) {
    this.code = new CodeFeatures(program);
  }

  extractGlobalFeatures(sink: FeatureSink): void {
    extractGlobalFeatures(this.facts, sink);
  }

  extractFileFeatures(sink: FeatureSink): void {
    extractFileFeatures(this.facts, sink);
  }

  *functions(): Iterable<FnHandle> {
    // Thunks (a lone `jmp [iat]`) are not functions in capa's sense: their API shows up at the call sites.
    for (const fn of this.program.functions.values()) if (!fn.thunk) yield { address: fn.va, fn };
  }

  extractFunctionFeatures(f: FnHandle, sink: FeatureSink): void {
    this.code.function(f.fn, sink);
  }

  *basicBlocks(f: FnHandle): Iterable<BbHandle> {
    for (const bb of f.fn.blocks) yield { address: bb.va, bb };
  }

  extractBasicBlockFeatures(f: FnHandle, b: BbHandle, sink: FeatureSink): void {
    this.code.basicBlock(f.fn, b.bb, sink);
  }

  *instructions(_f: FnHandle, b: BbHandle): Iterable<InsnHandle> {
    for (const insn of b.bb.insns) yield { address: insn.va, insn };
  }

  extractInstructionFeatures(f: FnHandle, b: BbHandle, i: InsnHandle, sink: FeatureSink): void {
    this.code.instruction(f.fn, b.bb, i.insn, sink);
  }
}
