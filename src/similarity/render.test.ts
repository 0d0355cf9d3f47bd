// The interactive HTML page runs: its script, with the inlined cytoscape (headless here), builds the graph and
// answers clicks on a sample, a family and a link with their evidence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { clusterSamples } from './cluster.js';
import { renderCluster } from './render.js';
import { SimilarityDb } from './db.js';
import { fixturesWithFeatures } from '../../test/similarity/fixtures.js';

interface FakeElement {
  textContent: string;
  innerHTML: string;
  onclick?: () => void;
}

test('the HTML page builds the graph and shows evidence on click', () => {
  const all = fixturesWithFeatures();
  const db = SimilarityDb.open(':memory:', { create: true });
  db.addMany(all.filter((f) => f.role === 'common').map((f) => ({ features: f.features, options: { role: 'common' as const } })));
  const inputs = all.filter((f) => f.role !== 'common');
  const result = clusterSamples(inputs.map((f) => ({ name: f.id, features: f.features })), { baseline: db.baseline() });
  db.close();
  const html = renderCluster(result, 'html');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const data = /<script type="application\/json" id="data">([^<]*)<\/script>/.exec(html)![1]!;
  assert.equal(scripts.length, 2);
  const elements = new Map<string, FakeElement>();
  const element = (id: string): FakeElement | undefined => {
    if (id === 'cy') return undefined; // no container: cytoscape runs headless
    if (!elements.has(id)) elements.set(id, { textContent: id === 'data' ? data : '', innerHTML: '' });
    return elements.get(id)!;
  };
  // No `window`: cytoscape then runs headless, which is all a test can look at.
  const context: Record<string, unknown> = { document: { getElementById: element }, console };
  runInNewContext(scripts[0]!, context);
  // The page script binds `cy` with const; expose it for the test.
  runInNewContext(`${scripts[1]!}\nglobalThis.__cy = cy;`, context);
  const cy = context.__cy as { nodes(sel?: string): { length: number }; $(sel: string): { emit(e: string): void }; edges(sel: string): { length: number; first(): { emit(e: string): void } } };
  assert.equal(cy.nodes('[kind = "sample"]').length, inputs.length);
  assert.equal(cy.nodes('[kind = "family"]').length, 4);
  const side = elements.get('side')!;
  const iniconf = result.samples.findIndex((s) => s.name.startsWith('iniconf-v1-x64'));
  cy.$(`#s${iniconf}`).emit('tap');
  assert.match(side.innerHTML, /iniconf-v1-x64-O2/);
  assert.match(side.innerHTML, /sha256 <code>[0-9a-f]{64}<\/code>/);
  assert.match(side.innerHTML, /rare function\(s\) in common/);
  const fam = result.samples[iniconf]!.family;
  cy.$(`#fam-${fam}`).emit('tap');
  assert.match(side.innerHTML, /Shares code with/);
  assert.match(side.innerHTML, /rare functions/);
  assert.match(side.innerHTML, /a code link.*examples from <b>iniconf-.*<\/b> and <b>csvstat-.*insns at RVA 0x[0-9a-f]+ \/ RVA 0x[0-9a-f]+/s);
  const links = cy.edges('[kind = "link"]');
  assert.equal(links.length, 1);
  links.first().emit('tap');
  assert.match(side.innerHTML, /\(link, stands for code\)/);
  const family = cy.edges('[kind = "family"][basis = "strings"]');
  assert.ok(family.length > 0);
  family.first().emit('tap');
  assert.match(side.innerHTML, /\(family, stands for strings\)/);
  elements.get('fit')!.onclick!();
});
