// The sample's PE parse, made once and shared by the steps that need it (capabilities, PE summary, similarity).

import { isPeFile, parsePe, type PeFile } from '../../formats/pe/index.js';
import type { SampleView } from './types.js';

/** The parsed PE of a sample's bytes (from the scratch when a step parsed it already), or undefined when not a PE. */
export function samplePe(sample: SampleView): PeFile | undefined {
  const b = sample.bytes;
  if (b.length < 64 || b[0] !== 0x4d || b[1] !== 0x5a) return undefined;
  const scratch = (sample.scratch ??= {});
  scratch.pe ??= parsePe(b);
  return isPeFile(scratch.pe) ? scratch.pe : undefined;
}
