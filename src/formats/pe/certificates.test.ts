// Authenticode: the signer's subject and issuer from a file signed by osslsigncode, checked against openssl's view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TEST_SIGNER_SERIAL, buildFixtures, signedFixture, testSigningCertificates } from '../../../test/pe/build.js';
import { parseAuthenticode } from './certificates.js';
import { parsePe, peSummary, type PeFile } from './index.js';

const fx = buildFixtures();

/** openssl's RFC 2253 rendering, split into RDNs (our text puts a space after each separating comma). */
function opensslName(cert: string, which: 'subject' | 'issuer'): string[] {
  const out = execFileSync('openssl', ['x509', '-in', cert, '-noout', `-${which}`, '-nameopt', 'RFC2253'], { encoding: 'utf8' });
  return out.trim().replace(new RegExp(`^${which}=`), '').split(/(?<!\\),/);
}

const rdns = (text: string): string[] => text.split(/(?<!\\), /);

for (const arch of ['x86', 'x64'] as const) {
  test(`${arch}: signer subject, issuer and serial of an Authenticode signature`, () => {
    const signed = signedFixture(fx[arch].features);
    const pe = parsePe(readFileSync(signed)) as PeFile;
    assert.ok(pe.isPe);
    const certs = testSigningCertificates();
    const entry = pe.certificates[0]!;
    assert.equal(entry.typeName, 'PKCS_SIGNED_DATA');
    assert.equal(entry.revision, 0x200);
    const a = pe.authenticode!;
    assert.deepEqual(rdns(a.signer!.subject.text), opensslName(certs.signerCert, 'subject'));
    assert.deepEqual(rdns(a.signer!.issuer.text), opensslName(certs.signerCert, 'issuer'));
    assert.equal(a.signer!.serialNumber, TEST_SIGNER_SERIAL);
    assert.equal(a.signer!.subject.commonName, 'Firebreak Test Signer');
    assert.equal(a.certificates.length, 2, 'signer and CA');
    assert.equal(a.digestAlgorithmName, 'sha256');
    assert.equal(peSummary(pe).signer, 'Firebreak Test Signer');
    // The signature is appended: the overlay (here also the COFF symbols MinGW leaves) runs through it.
    assert.ok(pe.overlay !== null && pe.overlay.offset <= entry.offset && pe.overlay.offset + pe.overlay.size === entry.offset + entry.length);
    assert.deepEqual(pe.anomalies.map((x) => x.code), []);
  });
}

test('a truncated or foreign blob is not read as SignedData', () => {
  const signed = readFileSync(signedFixture(fx.x64.features));
  const pe = parsePe(signed) as PeFile;
  const e = pe.certificates[0]!;
  const body = signed.subarray(e.offset + 8, e.offset + e.length);
  assert.ok(parseAuthenticode(body, 10000, 64) !== null);
  for (const cut of [0, 1, 2, 10, 100, body.length >> 1]) {
    const r = parseAuthenticode(body.subarray(0, cut), 10000, 64);
    assert.ok(r === null || r.signer === null || cut >= body.length >> 1);
  }
  assert.equal(parseAuthenticode(Uint8Array.from([0x30, 0x03, 0x06, 0x01, 0x2a]), 10000, 64), null);
  assert.equal(parseAuthenticode(body, 3, 64)?.signer ?? null, null, 'a tiny element budget stops the walk');
});
