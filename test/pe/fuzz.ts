// The PE fuzz harness: fast-check mutations of real PE files, each parsed with every lazy part touched.
// Shared by the CI test (a few thousand runs) and bench/pe-fuzz.ts (the long run).

import fc from 'fast-check';
import { parsePe, peToJson, type PeFile } from '../../src/formats/pe/index.js';
import { peToText } from '../../src/formats/pe/text.js';

/** Values that hit boundaries: zero, sign bits, all ones, alignments, small counts, near-file sizes. */
const INTERESTING = [0, 1, 2, 3, 4, 7, 8, 0x10, 0x20, 0x40, 0x7f, 0x80, 0xff, 0x100, 0x1ff, 0x200, 0x3ff, 0x400, 0xfff, 0x1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];

export type Mutation =
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'u16' | 'u32'; at: number; value: number }
  | { kind: 'field'; field: number; value: number; delta: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'copy'; from: number; to: number; length: number };

export interface FuzzInput {
  seed: number;
  mutations: Mutation[];
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Offsets of header and directory fields worth aiming at (from a parse of the clean file). */
  fields: number[];
}

/** Field offsets of a clean file: every header word, section header words, and the first words of each directory. */
export function seedOf(name: string, bytes: Uint8Array): Seed {
  const pe = parsePe(bytes);
  const fields = new Set<number>();
  if (pe.isPe) {
    const headerEnd = Math.min(bytes.length, pe.sectionTableOffset + pe.sections.length * 40);
    for (let o = 0; o < headerEnd; o += 2) fields.add(o);
    for (const d of pe.dataDirectories) {
      if (!d.inHeader || d.virtualAddress === 0) continue;
      const off = d.index === 4 ? d.virtualAddress : pe.map.rvaToOffset(d.virtualAddress);
      if (off === null) continue;
      for (let o = off; o < Math.min(bytes.length, off + 160); o += 2) fields.add(o);
    }
    const res = pe.resourceList.slice(0, 8);
    for (const r of res) if (r.offset !== null) for (let o = r.offset; o < Math.min(bytes.length, r.offset + 96); o += 2) fields.add(o);
  }
  return { name, bytes, fields: [...fields] };
}

const mutationArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('field' as const), field: fc.nat(), value: fc.constantFrom(...INTERESTING), delta: fc.integer({ min: -8, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('u16' as const, 'u32' as const), at: fc.nat(), value: fc.constantFrom(...INTERESTING) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), from: fc.nat(), to: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }) },
);

export const fuzzInputArb: fc.Arbitrary<FuzzInput> = fc.record({ seed: fc.nat(), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }) });

/** Applies `input` to a copy of one of the seeds. */
export function mutate(seeds: readonly Seed[], input: FuzzInput): Uint8Array {
  const s = seeds[input.seed % seeds.length]!;
  let b = Uint8Array.from(s.bytes);
  const put = (at: number, value: number, width: number): void => {
    for (let i = 0; i < width && at + i < b.length; i++) b[at + i] = (value >>> (8 * i)) & 0xff;
  };
  for (const m of input.mutations) {
    if (b.length === 0) break;
    switch (m.kind) {
      case 'byte':
        b[m.at % b.length] = m.value;
        break;
      case 'u16':
        put(m.at % b.length, m.value, 2);
        break;
      case 'u32':
        put(m.at % b.length, m.value, 4);
        break;
      case 'field': {
        if (s.fields.length === 0) break;
        const at = s.fields[m.field % s.fields.length]!;
        // Either an interesting value or the current value nudged (off-by-a-few sizes and counts).
        const cur = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
        put(at, m.delta === 0 ? m.value : (cur + m.delta) >>> 0, m.field % 3 === 0 ? 2 : 4);
        break;
      }
      case 'truncate':
        b = b.subarray(0, m.at % (b.length + 1));
        break;
      case 'copy': {
        const from = m.from % b.length;
        const to = m.to % b.length;
        b.copyWithin(to, from, Math.min(b.length, from + m.length));
        break;
      }
    }
  }
  return b;
}

/** Parses and touches every lazy part, section hashes and the overlay included; throws on a parser error. */
export function parseFully(bytes: Uint8Array): PeFile | null {
  const pe = parsePe(bytes, { now: Date.UTC(2026, 10, 25) });
  if (!pe.isPe) return null;
  pe.sectionStats();
  void pe.overlay;
  const err = pe.anomalies.find((a) => a.code === 'PE_PARSER_ERROR');
  if (err) throw new Error(`parser error: ${err.message}`);
  return pe;
}

/** Renders a parse as JSON and text, as the CLI would. */
export function render(pe: PeFile): void {
  const json = JSON.stringify(peToJson(pe));
  const text = peToText(pe);
  if (json.length === 0 || text.length === 0) throw new Error('empty rendering');
}

/** parseFully, then render: no exception may escape either. */
export function exercise(bytes: Uint8Array): PeFile | null {
  const pe = parseFully(bytes);
  if (pe !== null) render(pe);
  return pe;
}
