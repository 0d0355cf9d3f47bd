// The dependency direction of DESIGN.md, enforced: cli, fleet -> sweep -> report, detect, capabilities, similarity
// -> features -> code -> formats -> core. No module imports a folder at its own level or above it, and core/ and
// formats/ use no Node API (they also run in a browser). Reads every non-test .ts file under src/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PROJECT_ROOT } from '../../test/helpers/paths.js';

/** Each top folder of src/ and its level: a module may import only folders of a lower level (and its own folder). */
const LEVEL: Record<string, number> = {
  cli: 7,
  fleet: 7,
  sweep: 6,
  report: 5,
  detect: 5,
  capabilities: 5,
  similarity: 5,
  features: 4,
  code: 3,
  formats: 2,
  core: 1,
};
/** Folders that must stay browser-safe. */
const NO_NODE = new Set(['core', 'formats']);

const SRC = join(PROJECT_ROOT, 'src');
const BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file names: `import ... from`, `export ... from`, side-effect imports and `import()`. */
export function specifiers(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(/\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

function topFolder(file: string): string {
  return relative(SRC, file).split(sep)[0]!;
}

/** What is wrong with one import of `file`, or null. */
function violation(file: string, spec: string): string | null {
  const from = topFolder(file);
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(SRC + sep)) return null; // test helpers and the like, outside src/
    const to = topFolder(target);
    if (to === from) return null;
    if (LEVEL[to] === undefined) return `${spec}: unknown folder src/${to}`;
    if (LEVEL[to]! >= LEVEL[from]!) return `${spec}: ${from}/ may not import ${to}/ (${LEVEL[to] === LEVEL[from] ? 'sideways' : 'against the arrow'})`;
    return null;
  }
  if (NO_NODE.has(from) && (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!))) return `${spec}: ${from}/ uses no Node API`;
  return null;
}

test('the layer rule reads all kinds of imports, and flags what it should', () => {
  const text = "import a from './a.js';\nimport type { B } from '../sweep/b.js';\nexport { c } from '../cli/c.js';\nimport './side.js';\nconst d = await import('../report/d.js');\n// import x from '../cli/commented.js';\n";
  assert.deepEqual(specifiers(text), ['./a.js', '../sweep/b.js', '../cli/c.js', './side.js', '../report/d.js']);
  const file = join(SRC, 'capabilities', 'x.ts');
  assert.match(violation(file, '../sweep/b.js') ?? '', /against the arrow/);
  assert.match(violation(file, '../report/d.js') ?? '', /sideways/);
  assert.equal(violation(file, '../features/feature.js'), null);
  assert.equal(violation(file, './load.js'), null);
  assert.match(violation(join(SRC, 'core', 'x.ts'), 'node:crypto') ?? '', /no Node API/);
  assert.match(violation(join(SRC, 'formats', 'pe', 'x.ts'), 'fs') ?? '', /no Node API/);
  assert.equal(violation(join(SRC, 'sweep', 'x.ts'), 'node:fs'), null);
});

test('no module under src/ imports against the dependency arrow, sideways, or (in core/ and formats/) Node', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 100, `only ${files.length} source files found`);
  const problems: string[] = [];
  for (const file of files) {
    if (LEVEL[topFolder(file)] === undefined) {
      problems.push(`${relative(PROJECT_ROOT, file)}: src/${topFolder(file)} has no place in the dependency order`);
      continue;
    }
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const v = violation(file, spec);
      if (v) problems.push(`${relative(PROJECT_ROOT, file)}: ${v}`);
    }
  }
  assert.deepEqual(problems, []);
});
