// Writes a minimal TrueType (sfnt) file holding only a 'name' table, for the Gauss font fixture.
// Hand-written because the fixture needs nothing but the header and the name records the rule reads.

interface NameRecord {
  platform: number;
  encoding: number;
  language: number;
  nameId: number;
  text: string;
}

function encode(record: NameRecord): Uint8Array {
  if (record.platform === 1) return Uint8Array.from(record.text, (c) => c.charCodeAt(0) & 0x7f);
  const out = new Uint8Array(record.text.length * 2);
  for (let i = 0; i < record.text.length; i++) {
    out[i * 2] = record.text.charCodeAt(i) >> 8; // UTF-16BE
    out[i * 2 + 1] = record.text.charCodeAt(i) & 0xff;
  }
  return out;
}

function tableChecksum(bytes: Uint8Array): number {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

/** A font file whose family, subfamily and full names (Mac Roman and Windows UTF-16BE) are as given. */
export function buildNameOnlyFont(family: string, subfamily: string): Uint8Array {
  const full = `${family} ${subfamily}`;
  const records: NameRecord[] = [];
  for (const [platform, encoding, language] of [
    [1, 0, 0],
    [3, 1, 0x409],
  ] as const) {
    records.push({ platform, encoding, language, nameId: 1, text: family });
    records.push({ platform, encoding, language, nameId: 2, text: subfamily });
    records.push({ platform, encoding, language, nameId: 4, text: full });
  }
  const strings = records.map(encode);
  const headerSize = 6 + records.length * 12;
  const storageSize = strings.reduce((n, s) => n + s.length, 0);
  const name = new Uint8Array(headerSize + storageSize);
  const nv = new DataView(name.buffer);
  nv.setUint16(0, 0);
  nv.setUint16(2, records.length);
  nv.setUint16(4, headerSize);
  let storage = 0;
  records.forEach((r, i) => {
    const at = 6 + i * 12;
    nv.setUint16(at, r.platform);
    nv.setUint16(at + 2, r.encoding);
    nv.setUint16(at + 4, r.language);
    nv.setUint16(at + 6, r.nameId);
    nv.setUint16(at + 8, strings[i]!.length);
    nv.setUint16(at + 10, storage);
    name.set(strings[i]!, headerSize + storage);
    storage += strings[i]!.length;
  });

  const tableOffset = 12 + 16; // offset table plus one table record
  const out = new Uint8Array(tableOffset + Math.ceil(name.length / 4) * 4);
  const ov = new DataView(out.buffer);
  ov.setUint32(0, 0x00010000); // TrueType outlines
  ov.setUint16(4, 1); // numTables
  ov.setUint16(6, 16); // searchRange
  ov.setUint16(8, 0); // entrySelector
  ov.setUint16(10, 0); // rangeShift
  out.set([0x6e, 0x61, 0x6d, 0x65], 12); // "name"
  ov.setUint32(16, tableChecksum(name));
  ov.setUint32(20, tableOffset);
  ov.setUint32(24, name.length);
  out.set(name, tableOffset);
  return out;
}
