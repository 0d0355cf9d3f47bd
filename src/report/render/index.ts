// The renderers by format name, each loaded only when asked for.

import type { Format, Renderer, RenderOptions } from './types.js';

export { FORMATS, type Format, type Renderer, type RenderOptions } from './types.js';

export async function createRenderer(format: Format, options: RenderOptions): Promise<Renderer> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).textRenderer(options);
    case 'ndjson':
      return (await import('./ndjson.js')).ndjsonRenderer(options);
    case 'json':
      return (await import('./json.js')).jsonRenderer(options);
    case 'sarif':
      return (await import('./sarif.js')).sarifRenderer(options);
    case 'stix':
      return (await import('./stix.js')).stixRenderer();
  }
}
