// A FAT16 volume whose root holds files with hostile long names (`.`, `..`, device names, control characters, path
// separators, clashes), each with its own content, for the extractor's safety tests. Written as raw entries: no
// tool makes such names.

import { join } from 'node:path';
import { lfnChecksum, lfnSlot, mkfsFat, RawFat, shortSlot } from './fat-builder.js';

export interface HostileFile {
  longName: string;
  content: string;
}

/** The names, each given its own 8.3 name and one cluster of content `content of <i>`; `ok.txt` twice. */
export const HOSTILE_NAMES = ['.', '..', 'CON', 'con.txt', 'a\u0001b', 'x/y', '..\\..\\evil', 'trailing.', 'same', 'SAME', '%2E', 'nul ', 'ok.txt', 'ok.txt'];

/** Splits a long name into the long-name slots that precede its 8.3 entry (last part first). */
function lfnSlots(name: string, short11: string): Uint8Array[] {
  const sum = lfnChecksum(short11);
  const parts: string[] = [];
  for (let i = 0; i < name.length; i += 13) parts.push(name.slice(i, i + 13));
  return parts
    .map((p, i) => lfnSlot((i + 1) | (i === parts.length - 1 ? 0x40 : 0), p, sum, p.length < 13))
    .reverse();
}

export function buildHostile(work: string): { path: string; files: HostileFile[] } {
  const img = mkfsFat(join(work, 'hostile.img'), 'FAT16');
  const raw = new RawFat(img);
  const root = raw.rootDirOffset();
  const files: HostileFile[] = [];
  let cluster = 2;
  HOSTILE_NAMES.forEach((longName, i) => {
    const short11 = `HOST${String(i).padStart(4, '0')}BIN`;
    const content = `content of ${i}\n`;
    cluster = raw.freeCluster(cluster);
    raw.fatSet(cluster, raw.eoc());
    raw.write(raw.clusterOffset(cluster), new TextEncoder().encode(content));
    let at = raw.freeSlot(root);
    for (const s of [...lfnSlots(longName, short11), shortSlot(short11, 0x20, cluster, content.length)]) {
      raw.write(at, s);
      at += 32;
    }
    files.push({ longName, content });
    cluster++;
  });
  return { path: img, files };
}
