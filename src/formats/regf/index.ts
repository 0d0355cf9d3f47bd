// Public surface of the regf (Windows registry hive) parser: pure, read-only, bounds-checked, over a Uint8Array.

export { parseRegf, type NotRegf, type RegfParseResult, type RegfParseOptions } from './parse.js';
export { RegfHive, type RegfKey, type RegfValue, type RegfData, type RegfSecurity, type KeyVisitor, type WalkedKey } from './hive.js';
export type { RegfBaseBlock } from './base-block.js';
export { isRegfMagic } from './base-block.js';
export { REGF_ANOMALY_CODES, type RegfAnomalyCode } from './anomalies.js';
export {
  identifyHive,
  currentControlSet,
  kindFromFileName,
  normalizeRoot,
  UNKNOWN_MOUNT,
  UNKNOWN_USER,
  type HiveIdentity,
  type HiveAlias,
  type HiveKind,
  type IdentifyOptions,
} from './identify.js';
export { HivePaths } from './paths.js';
export { valueText, toHex, multiSzStrings, type ValueText } from './value-text.js';
export * from './constants.js';
export {
  openHiveListing,
  LIST_DATA_BYTES,
  type HiveListing,
  type HiveSummary,
  type ListedKey,
  type ListedValue,
  type ListOptions,
} from './listing.js';
