// Every base-relocation target of a parsed image (the words the loader patches on rebase).

import type { PeFile } from './pe.js';
import { relocationTargets } from './relocations.js';
import type { Relocation } from './types.js';

export function relocationTargetsOf(pe: PeFile): Relocation[] {
  const rel = pe.relocations;
  return rel === null ? [] : relocationTargets(pe.context, rel);
}
