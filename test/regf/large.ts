// A large SOFTWARE-like hive for the benchmark, built once with the test builder and cached (about 100k keys,
// 330k values, index roots and big data), since no real Windows hive may be stored in the project.

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from '../helpers/paths.js';
import { buildHive, dword, multiSz, sz, type BuildKey, type BuildValue } from './builder.js';
import { pattern } from './fixtures.js';

export const LARGE_HIVE_VERSION = 1;

function classes(n: number): BuildKey {
  const subkeys: BuildKey[] = [];
  for (let i = 0; i < n; i++) {
    const k: BuildKey = {
      name: i % 3 === 0 ? `.ext${i}` : `Vendor.Component${i}.${i % 7}`,
      values: [
        { name: '', type: 1, data: sz(`Component ${i} of vendor ${i % 97}`) },
        { name: 'EditFlags', type: 4, data: dword(i) },
      ],
    };
    if (i % 10 === 0) {
      k.subkeys = [{ name: 'shell', subkeys: [{ name: 'open', subkeys: [{ name: 'command', values: [{ name: '', type: 2, data: sz(`"%ProgramFiles%\\Vendor${i}\\app.exe" "%1"`) }] }] }] }];
    }
    subkeys.push(k);
  }
  return { name: 'Classes', subkeys, list: 'ri', riLeaf: 500 };
}

function product(p: number, keys: number): BuildKey {
  const subkeys: BuildKey[] = [];
  for (let i = 0; i < keys; i++) {
    const values: BuildValue[] = [
      { name: 'DisplayName', type: 1, data: sz(`Product ${p} setting ${i}`) },
      { name: 'Enabled', type: 4, data: dword(i & 1) },
      { name: 'Blob', type: 3, data: pattern(96, p * 1000 + i) },
      { name: 'Paths', type: 7, data: multiSz([`C:\\Program Files\\P${p}`, `C:\\Data\\P${p}\\${i}`]) },
      { name: 'InstallDate', type: 11, data: pattern(8, i + 1) },
    ];
    subkeys.push({ name: `Setting${String(i).padStart(4, '0')}`, values });
  }
  return { name: `Product${String(p).padStart(3, '0')}`, subkeys, list: keys > 500 ? 'ri' : 'lh' };
}

export function largeTree(): BuildKey {
  const products: BuildKey[] = [];
  for (let p = 0; p < 200; p++) products.push(product(p, 200));
  const big: BuildValue[] = [];
  for (let i = 0; i < 50; i++) big.push({ name: `Big${i}`, type: 3, data: pattern(100_000, i + 7) });
  return {
    name: 'CMI-CreateHive{199DAFC2-6F16-4946-BF90-5A3FC3A60902}',
    subkeys: [classes(60_000), { name: 'Microsoft', subkeys: products }, { name: 'Policies', values: big }],
  };
}

/** The cached large hive's path, building it on first use. */
export function largeHivePath(): string {
  const dir = join(CACHE_DIR, 'regf');
  const path = join(dir, `large-software-v${LARGE_HIVE_VERSION}.hive`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp${process.pid}`;
  writeFileSync(tmp, buildHive(largeTree(), { fileName: '\\SystemRoot\\System32\\Config\\SOFTWARE', hbinSize: 0x10000 }).bytes);
  renameSync(tmp, path);
  return path;
}
