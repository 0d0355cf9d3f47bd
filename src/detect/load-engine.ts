// Chooses the YARA engine: the native binding where it loads, the official WASM build everywhere else.

import { FirebreakError } from '../core/errors.js';
import type { EngineName, EnginePreference, YaraEngine } from './engine.js';

/** How each engine is loaded; tests replace them to see what happens where the native binding is missing. */
export interface EngineLoaders {
  native: () => Promise<YaraEngine>;
  wasm: () => Promise<YaraEngine>;
}

const DEFAULT_LOADERS: EngineLoaders = {
  native: async () => (await import('./yara/native.js')).loadNativeEngine(),
  wasm: async () => (await import('./yara/wasm.js')).loadWasmEngine(),
};

/** Why `auto` fell back to WASM in this process, if it did (for `--verbose` and the summary). */
export let nativeUnavailableReason: string | undefined;

/**
 * The engine for a preference. `auto` tries the native binding (built for linux-x64 with glibc only) and falls
 * back to WASM; `native` and `wasm` (or an EngineName, as a worker rebuilding a RuleSet passes) insist, and throw
 * FirebreakError E_ENGINE_UNAVAILABLE with the reason when that engine does not load here.
 */
export async function loadEngine(
  preference: EnginePreference | EngineName = 'auto',
  loaders: EngineLoaders = DEFAULT_LOADERS,
): Promise<YaraEngine> {
  switch (preference) {
    case 'native':
    case 'yara-x-native':
      return loaders.native();
    case 'wasm':
    case 'yara-x-wasm':
      return loaders.wasm();
    case 'auto':
      try {
        return await loaders.native();
      } catch (e) {
        if (!(e instanceof FirebreakError && e.code === 'E_ENGINE_UNAVAILABLE')) throw e;
        nativeUnavailableReason = e.message;
        return loaders.wasm();
      }
    default:
      throw new FirebreakError('E_USAGE', `unknown engine '${String(preference)}' (auto, native or wasm)`);
  }
}
