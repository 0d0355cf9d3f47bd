// The certificate table (WIN_CERTIFICATE entries) and, for Authenticode, who signed: the PKCS#7 SignerInfo's certificate.
// The signature is not verified: this says what the file claims, which is what triage and clustering need.

import type { AnomalySink } from './anomalies.js';
import { u16, u32 } from './bytes.js';
import { DIR_SECURITY } from './constants.js';
import type { PeContext } from './context.js';
import { DerReader, TAG_CONTEXT_0, TAG_INTEGER, TAG_OID, TAG_SEQUENCE, TAG_SET, hexOf, oidText, stringOf, type Der } from './der.js';
import type { AuthenticodeInfo, CertificateEntry, CertificateSummary, X509Name } from './types.js';

const WIN_CERTIFICATE_HEADER = 8;
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

const CERT_TYPES: Readonly<Record<number, string>> = {
  1: 'X509',
  2: 'PKCS_SIGNED_DATA',
  3: 'RESERVED_1',
  4: 'TS_STACK_SIGNED',
};

/** Attribute short names (RFC 4514 and the ones Authenticode certificates use). */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'givenName',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const DIGEST_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function escapeValue(v: string): string {
  return v.replace(/([,+"\\<>;])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** A Name (SEQUENCE OF RDN) as text, most specific first, and its CN. */
function nameOf(r: DerReader, name: Der): X509Name {
  const rdns: string[] = [];
  let commonName: string | null = null;
  for (const rdn of r.children(name)) {
    if (rdn.tag !== TAG_SET) continue;
    const parts: string[] = [];
    for (const atv of r.children(rdn)) {
      const [type, value] = r.children(atv, 2);
      if (!type || !value || type.tag !== TAG_OID) continue;
      const oid = oidText(r.bytesOf(type));
      const text = stringOf(value.tag, r.bytesOf(value));
      if (oid === '2.5.4.3' && commonName === null) commonName = text;
      parts.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${escapeValue(text)}`);
    }
    if (parts.length > 0) rdns.push(parts.join('+'));
  }
  return { text: rdns.reverse().join(', '), commonName };
}

function serialOf(r: DerReader, e: Der): string {
  return hexOf(r.bytesOf(e));
}

/** Subject, issuer and serial of one Certificate. */
function certificateSummary(r: DerReader, cert: Der): CertificateSummary | null {
  const [tbs] = r.children(cert, 1);
  if (!tbs || tbs.tag !== TAG_SEQUENCE) return null;
  let f = r.children(tbs, 8);
  if (f[0]?.tag === TAG_CONTEXT_0) f = f.slice(1); // explicit version
  const [serial, , issuer, , subject] = f;
  if (!serial || serial.tag !== TAG_INTEGER || !issuer || !subject || issuer.tag !== TAG_SEQUENCE || subject.tag !== TAG_SEQUENCE) return null;
  return { subject: nameOf(r, subject), issuer: nameOf(r, issuer), serialNumber: serialOf(r, serial) };
}

/** Decodes a PKCS#7 ContentInfo holding SignedData; null when it is not one. */
export function parseAuthenticode(bytes: Uint8Array, budget: number, maxCertificates: number): AuthenticodeInfo | null {
  const r = new DerReader(bytes, budget);
  const ci = r.read(0, bytes.length);
  if (ci === null || ci.tag !== TAG_SEQUENCE) return null;
  const [type, explicit] = r.children(ci, 2);
  if (!type || type.tag !== TAG_OID || oidText(r.bytesOf(type)) !== OID_SIGNED_DATA || !explicit || explicit.tag !== TAG_CONTEXT_0) return null;
  const [sd] = r.children(explicit, 1);
  if (!sd || sd.tag !== TAG_SEQUENCE) return null;
  const fields = r.children(sd, 8);
  const info: AuthenticodeInfo = { signer: null, signerIssuer: null, signerSerialNumber: null, digestAlgorithm: null, digestAlgorithmName: null, certificates: [] };
  // version, digestAlgorithms, contentInfo, [0] certificates, [1] crls, signerInfos (the last SET)
  const certSet = fields.find((f) => f.tag === TAG_CONTEXT_0);
  if (certSet) {
    for (const c of r.children(certSet, maxCertificates)) {
      if (c.tag !== TAG_SEQUENCE) continue;
      const s = certificateSummary(r, c);
      if (s) info.certificates.push(s);
    }
  }
  const signerInfos = fields.length > 0 && fields[fields.length - 1]!.tag === TAG_SET ? fields[fields.length - 1]! : null;
  const [si] = signerInfos ? r.children(signerInfos, 1) : [];
  if (si && si.tag === TAG_SEQUENCE) {
    const [, sid, digest] = r.children(si, 3);
    if (sid && sid.tag === TAG_SEQUENCE) {
      const [issuer, serial] = r.children(sid, 2);
      if (issuer && serial && issuer.tag === TAG_SEQUENCE && serial.tag === TAG_INTEGER) {
        info.signerIssuer = nameOf(r, issuer);
        info.signerSerialNumber = serialOf(r, serial);
        info.signer =
          info.certificates.find((c) => c.serialNumber === info.signerSerialNumber && c.issuer.text === info.signerIssuer!.text) ?? null;
      }
    }
    if (digest && digest.tag === TAG_SEQUENCE) {
      const [alg] = r.children(digest, 1);
      if (alg && alg.tag === TAG_OID) {
        info.digestAlgorithm = oidText(r.bytesOf(alg));
        info.digestAlgorithmName = DIGEST_NAMES[info.digestAlgorithm] ?? null;
      }
    }
  }
  return info;
}

/** IMAGE_DIRECTORY_ENTRY_SECURITY: its VirtualAddress is a file offset; entries are 8-byte aligned. */
export function parseCertificates(ctx: PeContext, an: AnomalySink): CertificateEntry[] {
  const dir = ctx.directories[DIR_SECURITY]!;
  if (!dir.inHeader || dir.virtualAddress === 0 || dir.size === 0) return [];
  const d = ctx.data;
  const start = dir.virtualAddress;
  const end = start + dir.size;
  if (end > d.length) {
    an.add('PE_CERTIFICATE_MALFORMED', 'medium', `the certificate table (0x${start.toString(16)}+0x${dir.size.toString(16)}) runs past the end of the file`, start < d.length ? start : undefined);
  }
  const out: CertificateEntry[] = [];
  for (let at = start; at + WIN_CERTIFICATE_HEADER <= Math.min(end, d.length); ) {
    if (out.length >= ctx.limits.maxCertificates) {
      an.add('PE_LIMIT_EXCEEDED', 'low', `more than ${ctx.limits.maxCertificates} certificate entries`, at);
      break;
    }
    const length = u32(d, at);
    const revision = u16(d, at + 4);
    const type = u16(d, at + 6);
    if (length < WIN_CERTIFICATE_HEADER) {
      an.add('PE_CERTIFICATE_MALFORMED', 'medium', `WIN_CERTIFICATE at 0x${at.toString(16)} has dwLength ${length}`, at);
      break;
    }
    const bodyEnd = Math.min(at + length, end, d.length);
    if (at + length > Math.min(end, d.length)) an.add('PE_CERTIFICATE_MALFORMED', 'medium', `WIN_CERTIFICATE at 0x${at.toString(16)} runs past the table`, at);
    let authenticode: AuthenticodeInfo | null = null;
    if (type === 2) {
      authenticode = parseAuthenticode(d.subarray(at + WIN_CERTIFICATE_HEADER, bodyEnd), ctx.limits.maxDerElements, ctx.limits.maxSignedDataCertificates);
      if (authenticode === null) an.add('PE_CERTIFICATE_MALFORMED', 'medium', `WIN_CERTIFICATE at 0x${at.toString(16)} is not PKCS#7 SignedData`, at);
    }
    out.push({ offset: at, length, revision, type, typeName: CERT_TYPES[type] ?? `0x${type.toString(16)}`, authenticode });
    at += Math.ceil(length / 8) * 8;
  }
  return out;
}
