// Writes small ZIP archives for tests, byte by byte, so a test can plant exactly the flaw it is about
// (an encrypted flag, a wrong CRC, a bomb's ratio, a hostile or non-UTF-8 name) without an outside tool.

import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string | Buffer;
  data: Buffer;
  /** 0 stored, 8 deflated (default 8), or any other number to claim an unsupported method. */
  method?: number;
  /** Sets the traditional-encryption flag and adds its 12-byte header (the data is left as it is). */
  encrypted?: boolean;
  /** Overrides the CRC-32 written in the headers. */
  crc?: number;
  /** Marks the name as UTF-8 (general-purpose flag bit 11). Default: true for string names. */
  utf8?: boolean;
}

export function buildZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const method = e.method ?? 8;
    const packed = method === 8 ? deflateRawSync(e.data) : e.data;
    // Traditional encryption puts a 12-byte header before the data; the data itself is left readable.
    const body = e.encrypted ? Buffer.concat([Buffer.alloc(12, 0xee), packed]) : packed;
    const crc = e.crc ?? crc32(e.data);
    const flags = (e.encrypted ? 0x1 : 0) | ((e.utf8 ?? typeof e.name === 'string') ? 0x800 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
