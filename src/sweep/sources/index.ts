// The container sources the pipeline tries on every sample, in order: the one place a new container plugs in.

import { DiskImageSource } from './disk-image.js';
import type { ContainerSource } from './types.js';
import { ZipSource } from './zip.js';

export function containerSources(options: { maxSize: number }): ContainerSource[] {
  return [new ZipSource({ maxMemberSize: options.maxSize }), new DiskImageSource({ maxMemberSize: options.maxSize })];
}

export type { ContainerSource, ContainerEntry, RootSource, WalkEvent, Stamp, DetachedSource } from './types.js';
export { FsWalk, checkRoots } from './fs-walk.js';
