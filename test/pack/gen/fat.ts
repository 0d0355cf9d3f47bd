// Writes a small FAT12 volume image with chosen root-directory entries, including the raw long-name entries no
// tool makes (Flame's "." container), for the detection pack's USB fixtures. Checked against fsck.fat and fls.

const SECTOR = 512;
const TOTAL_SECTORS = 512; // 256 KiB
const RESERVED = 1;
const FATS = 2;
const SECTORS_PER_FAT = 2;
const ROOT_ENTRIES = 64;
const ROOT_SECTORS = (ROOT_ENTRIES * 32) / SECTOR;
const FIRST_DATA_SECTOR = RESERVED + FATS * SECTORS_PER_FAT + ROOT_SECTORS;
/** 2012-06-01 12:00:00 in FAT date/time form, so rebuilt images are byte-identical. */
const FAT_DATE = ((2012 - 1980) << 9) | (6 << 5) | 1;
const FAT_TIME = 12 << 11;

export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME = 0x08;
export const ATTR_ARCHIVE = 0x20;

export interface FatFile {
  /** The 8.3 name as stored: 8 name and 3 extension characters, space-padded ("HUB001  DAT"). */
  shortName: string;
  /** Long name written as LFN entries before the short entry; may be anything, even ".". */
  longName?: string;
  attributes: number;
  content: Uint8Array;
}

function shortNameChecksum(name: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + name[i]!) & 0xff;
  return sum;
}

function lfnEntries(longName: string, checksum: number): Uint8Array[] {
  const units = Array.from(longName, (c) => c.charCodeAt(0));
  units.push(0); // terminator, then 0xFFFF padding
  const count = Math.ceil(units.length / 13);
  while (units.length < count * 13) units.push(0xffff);
  const entries: Uint8Array[] = [];
  for (let n = count; n >= 1; n--) {
    const e = new Uint8Array(32);
    const v = new DataView(e.buffer);
    e[0] = n | (n === count ? 0x40 : 0);
    e[11] = 0x0f;
    e[13] = checksum;
    const part = units.slice((n - 1) * 13, n * 13);
    const slots = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
    part.forEach((u, i) => v.setUint16(slots[i]!, u, true));
    entries.push(e);
  }
  return entries;
}

function setFat12(fat: Uint8Array, cluster: number, value: number): void {
  const at = Math.floor((cluster * 3) / 2);
  if (cluster % 2 === 0) {
    fat[at] = value & 0xff;
    fat[at + 1] = (fat[at + 1]! & 0xf0) | ((value >> 8) & 0x0f);
  } else {
    fat[at] = (fat[at]! & 0x0f) | ((value & 0x0f) << 4);
    fat[at + 1] = (value >> 4) & 0xff;
  }
}

/** A whole FAT12 image: boot sector, two FATs, root directory with `files` in order, and their data. */
export function buildFat12Image(label: string, files: FatFile[]): Uint8Array {
  const img = new Uint8Array(TOTAL_SECTORS * SECTOR);
  const v = new DataView(img.buffer);
  img.set([0xeb, 0x3c, 0x90], 0);
  img.set(Array.from('MSDOS5.0', (c) => c.charCodeAt(0)), 3);
  v.setUint16(11, SECTOR, true);
  img[13] = 1; // sectors per cluster
  v.setUint16(14, RESERVED, true);
  img[16] = FATS;
  v.setUint16(17, ROOT_ENTRIES, true);
  v.setUint16(19, TOTAL_SECTORS, true);
  img[21] = 0xf8;
  v.setUint16(22, SECTORS_PER_FAT, true);
  v.setUint16(24, 32, true);
  v.setUint16(26, 2, true);
  img[36] = 0x80;
  img[38] = 0x29;
  v.setUint32(39, 0x46420001, true);
  img.set(Array.from(label.padEnd(11).slice(0, 11), (c) => c.charCodeAt(0)), 43);
  img.set(Array.from('FAT12   ', (c) => c.charCodeAt(0)), 54);
  img[510] = 0x55;
  img[511] = 0xaa;

  const fat = new Uint8Array(SECTORS_PER_FAT * SECTOR);
  setFat12(fat, 0, 0xff8);
  setFat12(fat, 1, 0xfff);
  const root: Uint8Array[] = [];
  const volume = new Uint8Array(32);
  volume.set(Array.from(label.padEnd(11).slice(0, 11), (c) => c.charCodeAt(0)), 0);
  volume[11] = ATTR_VOLUME;
  root.push(volume);
  let nextCluster = 2;
  for (const f of files) {
    const name = Uint8Array.from(f.shortName.padEnd(11).slice(0, 11), (c) => c.charCodeAt(0));
    if (f.longName !== undefined) root.push(...lfnEntries(f.longName, shortNameChecksum(name)));
    const e = new Uint8Array(32);
    const ev = new DataView(e.buffer);
    e.set(name, 0);
    e[11] = f.attributes;
    ev.setUint16(14, FAT_TIME, true);
    ev.setUint16(16, FAT_DATE, true);
    ev.setUint16(18, FAT_DATE, true);
    ev.setUint16(22, FAT_TIME, true);
    ev.setUint16(24, FAT_DATE, true);
    const clusters = Math.ceil(f.content.length / SECTOR);
    if (clusters > 0) {
      ev.setUint16(26, nextCluster, true);
      for (let c = 0; c < clusters; c++) {
        const cluster = nextCluster + c;
        setFat12(fat, cluster, c === clusters - 1 ? 0xfff : cluster + 1);
      }
      img.set(f.content, (FIRST_DATA_SECTOR + nextCluster - 2) * SECTOR);
      nextCluster += clusters;
    }
    ev.setUint32(28, f.content.length, true);
    root.push(e);
  }
  if (root.length > ROOT_ENTRIES) throw new Error(`FAT fixture: ${root.length} root entries exceed ${ROOT_ENTRIES}`);
  for (let i = 0; i < FATS; i++) img.set(fat, (RESERVED + i * SECTORS_PER_FAT) * SECTOR);
  root.forEach((e, i) => img.set(e, (RESERVED + FATS * SECTORS_PER_FAT) * SECTOR + i * 32));
  return img;
}
