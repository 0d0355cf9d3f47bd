// Renders a clustering as JSON, Graphviz DOT, or one self-contained interactive HTML page (cytoscape inlined).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FirebreakError } from '../core/errors.js';
import type { ClusterResult } from './cluster.js';

export type ClusterFormat = 'json' | 'dot' | 'html';
export const CLUSTER_FORMATS: readonly ClusterFormat[] = ['json', 'dot', 'html'];

export function renderCluster(r: ClusterResult, format: ClusterFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(r, null, 2)}\n`;
    case 'dot':
      return renderDot(r);
    case 'html':
      return renderHtml(r);
  }
}

function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Families as subgraph clusters, same-family edges solid, links between families dashed. */
export function renderDot(r: ClusterResult): string {
  const lines = ['graph firebreak_clusters {', '  graph [compound=true, fontname="Helvetica"];', '  node [shape=box, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const f of r.families) {
    lines.push(`  subgraph ${dotString(`cluster_${f.id}`)} {`);
    lines.push(`    label=${dotString(`${f.label} (${f.members.length} sample${f.members.length === 1 ? '' : 's'}, ${f.variants.length} variant${f.variants.length === 1 ? '' : 's'})`)};`);
    for (const m of f.members) {
      const s = r.samples[m]!;
      lines.push(`    s${m} [label=${dotString(`${s.name}\nv${s.variant}`)}];`);
    }
    lines.push('  }');
  }
  for (const e of r.edges) {
    const label = e.kind === 'link' ? `${e.basis}: ${e.sharedFunctions} fn, ${e.sharedStrings} str` : `${e.basis} ${e.score}`;
    const style = e.kind === 'link' ? ', style=dashed, color="#c0392b"' : `, penwidth=${(1 + 3 * e.score).toFixed(2)}${e.basis === 'code' ? '' : ', style=dotted'}`;
    // basis as an attribute too, so tools reading the DOT need not parse labels.
    lines.push(`  s${e.a} -- s${e.b} [label=${dotString(label)}, basis=${dotString(e.basis)}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let cytoscapeSource: string | null = null;
/** The cytoscape browser bundle from node_modules, read once. */
function cytoscapeBundle(): string {
  if (cytoscapeSource === null) {
    try {
      const require = createRequire(import.meta.url);
      cytoscapeSource = readFileSync(require.resolve('cytoscape/dist/cytoscape.min.js'), 'utf8');
    } catch (e) {
      throw new FirebreakError('E_ENGINE_UNAVAILABLE', 'the cytoscape package is not installed', { input: 'cytoscape', cause: e });
    }
  }
  return cytoscapeSource;
}

/** Script text safe inside a <script> element (the bundled code has no "<!--"; a closing tag is split). */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON safe inside a <script> element: "<" only occurs in strings, where \u003c means the same. */
function jsonSafe(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const PAGE_STYLE = `
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; display: flex; height: 100vh; color: #222; }
#cy { flex: 1; background: #fafafa; }
#side { width: 380px; overflow: auto; border-left: 1px solid #ddd; padding: 10px 14px; }
#side h2 { font-size: 15px; margin: 6px 0; } #side h3 { font-size: 13px; margin: 12px 0 4px; }
#side code { font-size: 11px; word-break: break-all; } #side ul { padding-left: 18px; margin: 4px 0; }
#bar { position: absolute; top: 8px; left: 8px; z-index: 2; } #bar button { margin-right: 4px; }
.muted { color: #777; }`;

const PAGE_SCRIPT = `
const data = JSON.parse(document.getElementById('data').textContent);
const palette = ['#2e86de','#e67e22','#27ae60','#8e44ad','#c0392b','#16a085','#d35400','#2c3e50','#f39c12','#7f8c8d'];
const famIndex = new Map(data.families.map((f, i) => [f.id, i]));
const elements = [];
for (const f of data.families) {
  if (f.members.length > 1) elements.push({ data: { id: 'fam-' + f.id, label: f.label + ' (' + f.members.length + ')', kind: 'family', ref: f.id } });
}
for (const s of data.samples) {
  const f = data.families[famIndex.get(s.family)];
  const node = { data: { id: 's' + s.index, label: s.name, kind: 'sample', ref: s.index, color: palette[famIndex.get(s.family) % palette.length] } };
  if (f.members.length > 1) node.data.parent = 'fam-' + f.id;
  elements.push(node);
}
data.edges.forEach((e, i) => elements.push({ data: { id: 'e' + i, source: 's' + e.a, target: 's' + e.b, kind: e.kind, ref: i, w: 1 + 4 * e.score,
  label: e.kind === 'link' ? e.basis + ': ' + e.sharedFunctions + ' fn / ' + e.sharedStrings + ' str' : '', basis: e.basis } }));
const cy = cytoscape({ container: document.getElementById('cy'), elements, wheelSensitivity: 0.3,
  style: [
    { selector: 'node[kind = "sample"]', style: { 'background-color': 'data(color)', label: 'data(label)', 'font-size': 9, width: 16, height: 16 } },
    { selector: 'node[kind = "family"]', style: { 'background-opacity': 0.07, label: 'data(label)', 'font-size': 12, 'text-valign': 'top', 'border-width': 1, 'border-color': '#aaa' } },
    { selector: 'edge[kind = "family"]', style: { width: 'data(w)', 'line-color': '#95a5a6' } },
    { selector: 'edge[kind = "family"][basis != "code"]', style: { 'line-style': 'dotted' } },
    { selector: 'edge[kind = "link"]', style: { width: 2, 'line-color': '#c0392b', 'line-style': 'dashed', label: 'data(label)', 'font-size': 9, color: '#c0392b' } },
    { selector: ':selected', style: { 'border-width': 3, 'border-color': '#000', 'line-color': '#000' } },
  ],
  layout: { name: 'cose', animate: false, nodeRepulsion: 8000, idealEdgeLength: 60, componentSpacing: 80, randomize: false } });
const side = document.getElementById('side');
const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const list = (items) => items.length ? '<ul>' + items.map((x) => '<li>' + x + '</li>').join('') + '</ul>' : '<p class="muted">none</p>';
function edgeText(e) {
  const a = data.samples[e.a].name, b = data.samples[e.b].name;
  return '<b>' + esc(a) + '</b> ~ <b>' + esc(b) + '</b>: score ' + e.score + ' (' + e.kind + ', stands for ' + e.basis + ')' + list(e.why.map(esc));
}
function showSample(i) {
  const s = data.samples[i];
  const edges = data.edges.filter((e) => e.a === i || e.b === i).sort((x, y) => y.score - x.score);
  side.innerHTML = '<h2>' + esc(s.name) + '</h2>' +
    '<p>family <b>' + esc(s.family) + '</b>, variant ' + s.variant + (s.knownFamily ? ', known as <b>' + esc(s.knownFamily) + '</b>' : '') + '</p>' +
    '<p>sha256 <code>' + s.sha256 + '</code><br>size ' + s.size + '<br>TLSH <code>' + esc(s.tlsh || '-') + '</code><br>ssdeep <code>' + esc(s.ssdeep || '-') + '</code><br>imphash <code>' + esc(s.imphash || '-') + '</code><br>Rich hash <code>' + esc(s.richHash || '-') + '</code><br>' +
    s.rareFunctions + ' rare functions, ' + s.rareStrings + ' rare strings</p>' +
    '<h3>Evidence (' + edges.length + ' edges)</h3>' + list(edges.map(edgeText));
}
function showFamily(id) {
  const f = data.families[famIndex.get(id)];
  const links = data.links.filter((l) => l.a === id || l.b === id);
  side.innerHTML = '<h2>' + esc(f.label) + '</h2><p>' + f.members.length + ' samples, ' + f.variants.length + ' variants</p>' +
    '<h3>Variants</h3>' + list(f.variants.map((v, k) => 'v' + (k + 1) + ': ' + v.map((m) => esc(data.samples[m].name)).join(', '))) +
    '<h3>Shares code with</h3>' + list(links.map((l) => {
      const other = l.a === id ? l.b : l.a;
      const o = data.families[famIndex.get(other)];
      return '<b>' + esc(o.label) + '</b>: ' + l.sharedFunctions + ' rare functions, ' + l.sharedStrings + ' rare strings (a ' + l.basis + ' link)' +
        '<p>examples from <b>' + esc(l.pair.a.name) + '</b> and <b>' + esc(l.pair.b.name) + '</b>:</p>' +
        list(l.examples.map((x) => '<code>' + x.hash + '</code> ' + x.insns + ' insns at RVA ' + x.rvaA.join(',') + ' / RVA ' + x.rvaB.join(',')).concat(l.exampleStrings.map((t) => '"' + esc(t) + '"')));
    }));
}
cy.on('tap', 'node[kind = "sample"]', (ev) => showSample(ev.target.data('ref')));
cy.on('tap', 'node[kind = "family"]', (ev) => showFamily(ev.target.data('ref')));
cy.on('tap', 'edge', (ev) => { side.innerHTML = '<h2>Edge</h2>' + edgeText(data.edges[ev.target.data('ref')]); });
document.getElementById('fit').onclick = () => cy.fit(undefined, 30);
document.getElementById('zin').onclick = () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
document.getElementById('zout').onclick = () => cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
`;

/** One HTML file with the data, cytoscape and the viewer inlined: opens offline, nothing fetched. */
export function renderHtml(r: ClusterResult): string {
  const summary = `${r.samples.length} samples, ${r.families.length} families, ${r.links.length} links between families`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Firebreak clusters: ${summary}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<div id="bar"><button id="fit">fit</button><button id="zin">+</button><button id="zout">&minus;</button></div>
<div id="cy"></div>
<div id="side"><h2>Firebreak clusters</h2><p>${summary}.</p><p class="muted">Click a sample, a family box or an edge for its evidence. Scroll to zoom, drag to pan.</p></div>
<script type="application/json" id="data">${jsonSafe(r)}</script>
<script>${scriptSafe(cytoscapeBundle())}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
