// The renderers by format name.

import { jsonRenderer } from './json.js';
import { ndjsonRenderer } from './ndjson.js';
import { sarifRenderer } from './sarif.js';
import { stixRenderer } from './stix.js';
import { textRenderer } from './text.js';
import type { Format, Renderer, RenderOptions } from './types.js';

export { FORMATS, type Format, type Renderer, type RenderOptions } from './types.js';

export function createRenderer(format: Format, options: RenderOptions): Renderer {
  switch (format) {
    case 'text':
      return textRenderer(options);
    case 'ndjson':
      return ndjsonRenderer(options);
    case 'json':
      return jsonRenderer(options);
    case 'sarif':
      return sarifRenderer(options);
    case 'stix':
      return stixRenderer();
  }
}
