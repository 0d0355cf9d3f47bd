// The sweep's public face: sweep() and what its options and callbacks speak.

export { sweep, type SweepOptions } from './sweep.js';
export type { SweepProgress } from './tally.js';
export { progressLine } from './progress.js';
export { parseSize } from './size.js';
export { defaultCachePath, userCacheDir } from './cache.js';
export { DEFAULT_MAX_SIZE } from './limits.js';
export type { RootSource, ContainerSource, ContainerEntry, WalkEvent } from './sources/types.js';
export type { ReportStep } from './report-steps.js';
export { familiesPossible, familyStep, loadFamilyCatalog } from './family.js';
export type { ContentStep, SampleView } from './steps/types.js';
export { PE_SCOPES, type PeScope } from './pe-scope.js';
export type { FsPath } from './display.js';
