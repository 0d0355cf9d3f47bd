// Engine choice: native where it loads, WASM elsewhere, and a clear reason when a forced engine is missing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FirebreakError } from '../core/errors.js';
import type { YaraEngine } from './engine.js';
import { loadEngine, type EngineLoaders } from './load-engine.js';
import { loadNativeEngine } from './yara/native.js';
import { loadWasmEngine } from './yara/wasm.js';

const missingNative: EngineLoaders = {
  native: () =>
    Promise.reject(new FirebreakError('E_ENGINE_UNAVAILABLE', 'the native yara-x binding does not load on linux-arm64 (test)')),
  wasm: async () => loadWasmEngine(),
};

describe('loadEngine', () => {
  it('auto takes the native binding on linux-x64 and macOS, WASM elsewhere', async (t) => {
    const e = await loadEngine('auto');
    const nativePlatform = (process.platform === 'linux' && process.arch === 'x64') || process.platform === 'darwin';
    if (!nativePlatform) t.diagnostic('not a platform the native binding ships for');
    assert.equal(e.name, nativePlatform ? 'yara-x-native' : 'yara-x-wasm');
  });

  it('auto falls back to WASM when the native binding does not load', async () => {
    const e = await loadEngine('auto', missingNative);
    assert.equal(e.name, 'yara-x-wasm');
    assert.match(e.version, /^@virustotal\/yara-x \d+\.\d+\.\d+$/);
  });

  it('a forced native engine that does not load says why (E_ENGINE_UNAVAILABLE)', async () => {
    await assert.rejects(loadEngine('native', missingNative), (e: unknown) => {
      assert.ok(e instanceof FirebreakError);
      assert.equal(e.code, 'E_ENGINE_UNAVAILABLE');
      assert.match(e.message, /does not load on linux-arm64/);
      return true;
    });
  });

  it('a worker asks by EngineName and gets that engine', async () => {
    const engines: YaraEngine[] = [await loadEngine('yara-x-wasm')];
    try {
      engines.push(loadNativeEngine());
    } catch {
      // not on this platform; the WASM half still runs
    }
    for (const e of engines) assert.equal((await loadEngine(e.name)).name, e.name);
  });

  it('other errors from the native loader are not swallowed by auto', async () => {
    const broken: EngineLoaders = { native: () => Promise.reject(new Error('bug')), wasm: missingNative.wasm };
    await assert.rejects(loadEngine('auto', broken), /bug/);
    await assert.rejects(loadEngine('fast' as 'auto'), (e: unknown) => e instanceof FirebreakError && e.code === 'E_USAGE');
  });
});
