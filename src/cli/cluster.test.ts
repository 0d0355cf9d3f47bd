// `firebreak cluster` in-process: JSON, DOT and a self-contained interactive HTML page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { runCli } from '../../test/helpers/cli.js';
import { refSsdeep } from '../../test/similarity/reference.js';
import { cliEnv } from '../../test/similarity/cli-env.js';

function inputs(): string[] {
  const env = cliEnv();
  return env.fixtures.filter((f) => f.role !== 'common').map((f) => f.path);
}

test('cluster --format json: families named from the database, the platform link listed', async () => {
  const env = cliEnv();
  const r = await runCli(['cluster', ...inputs(), '--db', env.db]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as {
    families: { label: string; members: number[] }[];
    edges: { basis: string }[];
    links: { a: string; b: string; basis: string; sharedFunctions: number; pair: { a: { name: string }; b: { name: string } }; examples: { rvaA: string[]; rvaB: string[] }[] }[];
  };
  assert.ok(doc.edges.every((e) => ['code', 'strings', 'combined'].includes(e.basis)));
  assert.equal(doc.links[0]!.basis, 'code');
  assert.deepEqual([doc.links[0]!.pair.a.name, doc.links[0]!.pair.b.name].map((n) => basename(n).split('-')[0]).sort(), ['csvstat', 'iniconf']);
  assert.ok(doc.links[0]!.examples.every((x) => x.rvaA.length > 0 && x.rvaB.length > 0));
  const labels = doc.families.filter((f) => f.members.length > 1).map((f) => f.label).sort();
  assert.deepEqual(labels, ['csvstat', 'iniconf', 'sumtool', 'wordfreq']);
  assert.equal(doc.links.length, 1);
  assert.ok(doc.links[0]!.sharedFunctions > 0);
  const samples = (JSON.parse(r.stdout) as { samples: { name: string; ssdeep: string | null; richHash: string | null }[] }).samples.slice(0, 3);
  const ref = refSsdeep(samples.map((s) => s.name));
  for (const s of samples) {
    assert.equal(s.ssdeep, ref.get(basename(s.name)), s.name);
    assert.equal(s.richHash, null, 'MinGW builds have no Rich header');
  }
});

test('cluster --format dot draws families as clusters and the link dashed', async () => {
  const env = cliEnv();
  const r = await runCli(['cluster', ...inputs(), '--db', env.db, '--format', 'dot']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^graph firebreak_clusters \{/);
  assert.equal((r.stdout.match(/subgraph "cluster_F\d+"/g) ?? []).length, 8);
  assert.match(r.stdout, /style=dashed/);
  // Every edge names its basis, as an attribute and in its label.
  const edges = r.stdout.split('\n').filter((l) => / -- /.test(l));
  assert.ok(edges.length > 0);
  for (const l of edges) assert.match(l, /label="(code|strings|combined)[ :].*basis="(code|strings|combined)"/);
  assert.match(r.stdout, /label="code: \d+ fn, \d+ str", basis="code", style=dashed/);
});

test('cluster --format html is one self-contained page with the graph library and the data inlined', async () => {
  const env = cliEnv();
  const r = await runCli(['cluster', ...inputs(), '--db', env.db, '--format', 'html']);
  assert.equal(r.status, 0, r.stderr);
  const html = r.stdout;
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|https?:\/\/[^\s"']*\.(js|css)/i);
  assert.ok(html.includes('cytoscape'));
  assert.ok(html.includes("cy.on('tap', 'node[kind = \"sample\"]'"));
  const json = /<script type="application\/json" id="data">([^<]*)<\/script>/.exec(html);
  assert.ok(json);
  const data = JSON.parse(json[1]!) as { samples: unknown[]; links: unknown[] };
  assert.equal(data.samples.length, inputs().length);
  assert.equal(data.links.length, 1);
});

test('cluster rejects an unknown format with E_USAGE', async () => {
  const r = await runCli(['cluster', inputs()[0]!, '--format', 'svg']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /\[E_USAGE\]/);
});
