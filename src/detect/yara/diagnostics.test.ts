// Reading yara-x's rendered reports: title, code, line, column, quoted line and label, from both bindings' forms.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDiagnostic, parseReports, quotesLine, toDiagnostic } from './diagnostics.js';

// As the native binding throws it (the WASM build gives the same text without the first prefix).
const NATIVE = [
  'Compilation error (E009): error[E009]: unknown identifier `foo`',
  ' --> line:4:21',
  '  |',
  '4 | rule z { condition: foo }',
  '  |                     ^^^ this identifier has not been declared',
].join('\n');

const TWO = [
  'error[E001]: syntax error',
  ' --> line:1:6',
  '  |',
  '1 | rule fullword { condition: true }',
  '  |      ^^^^^^^^ expecting identifier, found `fullword`',
  '',
  'warning[invariant_expr]: invariant boolean expression',
  ' --> line:12:29',
  '   |',
  '12 | private rule p { condition: true }',
  '   |                             ---- this expression is always true',
  '   |',
  '   = note: rule `p` is always `true`',
].join('\n');

describe('parseReports', () => {
  it('reads the native form', () => {
    assert.deepEqual(parseReports(NATIVE), [
      {
        severity: 'error',
        code: 'E009',
        title: 'unknown identifier `foo`',
        line: 4,
        column: 21,
        quoted: 'rule z { condition: foo }',
        label: 'this identifier has not been declared',
      },
    ]);
  });

  it('reads several reports, errors and warnings, and moves lines into the file', () => {
    const r = parseReports(TWO);
    assert.deepEqual(r.map((x) => [x.severity, x.code, x.line, x.label]), [
      ['error', 'E001', 1, 'expecting identifier, found `fullword`'],
      ['warning', 'invariant_expr', 12, 'this expression is always true'],
    ]);
    const d = toDiagnostic(r[1]!, 'rules/x.yar', 10);
    assert.equal(formatDiagnostic(d), 'rules/x.yar:2:29: warning[invariant_expr]: invariant boolean expression: this expression is always true');
    assert.ok(quotesLine(r[1]!, 'a\n'.repeat(11) + 'private   rule p {\tcondition: true }\n', 12));
    assert.ok(!quotesLine(r[1]!, 'private rule q { condition: true }', 1));
  });

  it('a rule whose text contains "error[" cannot pass for a header', () => {
    const r = parseReports(NATIVE.replace('rule z { condition: foo }', 'rule z { strings: $a = "error[E1]: x" condition: foo }'));
    assert.equal(r.length, 1);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('error[E1]: t', ' --> line:3:4', '3 | x', '  | ^^ y', '\n'))), (parts) => {
        for (const r of parseReports(parts.join(''))) assert.ok(r.code.length > 0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });
});
