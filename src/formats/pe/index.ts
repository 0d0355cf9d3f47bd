// The PE parser's public face: parsePe and the types, reads and summaries other parts build on.

export { parsePe, isPeFile, PeFile, HIGH_ENTROPY_THRESHOLD } from './pe.js';
export { rvaToOffset, offsetToRva, vaToRva, rvaToVa, sectionAt, readAtRva, readStringAtRva, readUtf16AtRva } from './access.js';
export { peSummary } from './summary.js';
export { peToJson } from './json.js';
export { peToText } from './text.js';
export { imphash, imphashParts } from './imphash.js';
export { ordinalName } from './ordinals.js';
export { isUnusualSectionName } from './checks.js';
export { PE_LIMITS, type PeLimits } from './limits.js';
export { md5Hex } from './md5.js';
export { entropy } from './entropy.js';
export { relocationTargetsOf as relocationTargets } from './reloctargets.js';
export * from './constants.js';
export type * from './types.js';
