// --exclude globs (picomatch): a glob without `/` matches a base name anywhere, one with `/` the whole path.

import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';

/** Loaded on first use: most sweeps have no --exclude and need not pay for it. */
const requireCjs = createRequire(import.meta.url);

/** The path inside the innermost container: `x/y` for `a.zip!x/y`, `DIR/FILE` for `d.img#p1:/DIR/FILE`. */
function innerPath(display: string): string | undefined {
  const bang = display.lastIndexOf('!');
  const hash = display.lastIndexOf('#');
  const cut = Math.max(bang, hash);
  if (cut < 0) return undefined;
  let inner = display.slice(cut + 1);
  if (cut === hash) inner = inner.replace(/^[^:/]*:/, '');
  return inner.replace(/^\/+/, '');
}

/** A predicate for display paths, or undefined when there are no globs (the common case costs nothing). */
export function excludeMatcher(globs: readonly string[]): ((display: string) => boolean) | undefined {
  if (globs.length === 0) return undefined;
  const picomatch = requireCjs('picomatch') as typeof picomatchType;
  const matchers = globs.map((g) => picomatch(g, { dot: true, basename: !g.includes('/') }));
  return (display) => {
    const plain = display.replace(/^\.\//, '');
    const inner = innerPath(plain);
    return matchers.some((m) => m(plain) || (inner !== undefined && m(inner)));
  };
}
