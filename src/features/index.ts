// Feature extraction's public face: the feature union, feature sets, the extractor contract and its PE backend.

export type { ExtractedFeature, Feature, FeatureType, Characteristic } from './feature.js';
export { CHARACTERISTICS, featureKey, featureText, matchKey } from './feature.js';
export { FeatureSet, PendingFeatures, namespacePrefixes, uniqueLocations, type Address, type FeatureEntry } from './featureset.js';
export type { StaticFeatureExtractor, FeatureSink, FunctionHandle, BasicBlockHandle, InstructionHandle } from './extractor.js';
export { PeFeatureExtractor, type FnHandle, type BbHandle, type InsnHandle } from './pe-extractor.js';
export { CodeFeatures } from './code.js';
export { extractFileFeatures, extractGlobalFeatures, type FileFacts } from './file.js';
export { fileFactsFromPe } from './pe-facts.js';
export { fileStrings, carveEmbeddedPe } from './filescan.js';
export { symbolNames, normalizeDll } from './symbols.js';
