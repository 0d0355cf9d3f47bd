// The FAT12/16/32 and exFAT reader's public surface: open an image or volume, walk it, read files.

export type { ByteSource } from '../partition/byte-source.js';
export { bytesSource, sliceSource } from '../partition/byte-source.js';
export { openImage, type ImageLayout, type ImageVolume } from './image.js';
export { openVolume, type FatVolume, type OpenResult } from './volume.js';
export { walkVolume, type WalkOptions } from './walk.js';
export { readEntry, entryExtents, readEntryChunks, type Extent, type ReadResult } from './read.js';
export { FAT_ANOMALY_CODES, type FatAnomalyCode } from './anomaly-codes.js';
export { shortNameChecksum } from './dirent.js';
export type * from './types.js';
export { analyseImage, mediaEntry, type AnalysedVolume, type MediaEntry, type MediaReport, type MediaVolume } from './analyse.js';
