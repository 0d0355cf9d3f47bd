// The extractor contract (capa's StaticFeatureExtractor): features with their addresses, scope by scope.

import type { ExtractedFeature } from './feature.js';
import type { Address } from './featureset.js';

/**
 * Receives one feature and where it was found (a virtual address, or a file offset: featureset.ts); global features
 * have no address. `key` may be passed when the extractor already knows the feature's key (featureKey), to spare
 * computing it again.
 */
export type FeatureSink = (feature: ExtractedFeature, address?: Address, key?: string) => void;

export interface FunctionHandle {
  readonly address: Address;
}
export interface BasicBlockHandle {
  readonly address: Address;
}
export interface InstructionHandle {
  readonly address: Address;
}

/**
 * One backend, every scope. Features are pushed into a sink rather than returned as generators: the same
 * `(feature, address)` pairs capa yields, without a generator object per instruction on the hot path.
 */
export interface StaticFeatureExtractor<
  F extends FunctionHandle = FunctionHandle,
  B extends BasicBlockHandle = BasicBlockHandle,
  I extends InstructionHandle = InstructionHandle,
> {
  /** os, arch, format: present at every scope. */
  extractGlobalFeatures(sink: FeatureSink): void;
  /** export, import, section, string (whole file), embedded pe, forwarded export... */
  extractFileFeatures(sink: FeatureSink): void;
  functions(): Iterable<F>;
  /** loop, calls to, recursive call (function-level characteristics). */
  extractFunctionFeatures(f: F, sink: FeatureSink): void;
  basicBlocks(f: F): Iterable<B>;
  /** basic block, tight loop, stack string. */
  extractBasicBlockFeatures(f: F, bb: B, sink: FeatureSink): void;
  instructions(f: F, bb: B): Iterable<I>;
  /** api, string, bytes, number, offset, operand[i], mnemonic and instruction characteristics. */
  extractInstructionFeatures(f: F, bb: B, insn: I, sink: FeatureSink): void;
}
