// MD5 (RFC 1321) in plain TypeScript: formats/ may not use node:crypto, and section hashes must run in a browser too.
// Hand-written because the pure-JS packages on npm are either unmaintained or several times slower on large inputs;
// this one unrolls the 64 steps and reads words straight from the byte array.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(a: number, b: number, c: number, d: number): string {
  let s = '';
  for (const w of [a, b, c, d]) s += HEX[w & 0xff]! + HEX[(w >>> 8) & 0xff]! + HEX[(w >>> 16) & 0xff]! + HEX[(w >>> 24) & 0xff]!;
  return s;
}

/** Runs the compression function over the 64-byte blocks of `m` from `off`; state in `h` (4 words). */
function blocks(h: Int32Array, m: Uint8Array, off: number, count: number): void {
  let a = h[0]!;
  let b = h[1]!;
  let c = h[2]!;
  let d = h[3]!;
  for (let n = 0; n < count; n++, off += 64) {
    const x0 = m[off]! | (m[off + 1]! << 8) | (m[off + 2]! << 16) | (m[off + 3]! << 24);
    const x1 = m[off + 4]! | (m[off + 5]! << 8) | (m[off + 6]! << 16) | (m[off + 7]! << 24);
    const x2 = m[off + 8]! | (m[off + 9]! << 8) | (m[off + 10]! << 16) | (m[off + 11]! << 24);
    const x3 = m[off + 12]! | (m[off + 13]! << 8) | (m[off + 14]! << 16) | (m[off + 15]! << 24);
    const x4 = m[off + 16]! | (m[off + 17]! << 8) | (m[off + 18]! << 16) | (m[off + 19]! << 24);
    const x5 = m[off + 20]! | (m[off + 21]! << 8) | (m[off + 22]! << 16) | (m[off + 23]! << 24);
    const x6 = m[off + 24]! | (m[off + 25]! << 8) | (m[off + 26]! << 16) | (m[off + 27]! << 24);
    const x7 = m[off + 28]! | (m[off + 29]! << 8) | (m[off + 30]! << 16) | (m[off + 31]! << 24);
    const x8 = m[off + 32]! | (m[off + 33]! << 8) | (m[off + 34]! << 16) | (m[off + 35]! << 24);
    const x9 = m[off + 36]! | (m[off + 37]! << 8) | (m[off + 38]! << 16) | (m[off + 39]! << 24);
    const x10 = m[off + 40]! | (m[off + 41]! << 8) | (m[off + 42]! << 16) | (m[off + 43]! << 24);
    const x11 = m[off + 44]! | (m[off + 45]! << 8) | (m[off + 46]! << 16) | (m[off + 47]! << 24);
    const x12 = m[off + 48]! | (m[off + 49]! << 8) | (m[off + 50]! << 16) | (m[off + 51]! << 24);
    const x13 = m[off + 52]! | (m[off + 53]! << 8) | (m[off + 54]! << 16) | (m[off + 55]! << 24);
    const x14 = m[off + 56]! | (m[off + 57]! << 8) | (m[off + 58]! << 16) | (m[off + 59]! << 24);
    const x15 = m[off + 60]! | (m[off + 61]! << 8) | (m[off + 62]! << 16) | (m[off + 63]! << 24);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;
    let t: number;
    // Round 1: F = (b & c) | (~b & d)
    t = (a + (d ^ (b & (c ^ d))) + x0 - 680876936) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x1 - 389564586) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x2 + 606105819) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x3 - 1044525330) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x4 - 176418897) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x5 + 1200080426) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x6 - 1473231341) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x7 - 45705983) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x8 + 1770035416) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x9 - 1958414417) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x10 - 42063) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x11 - 1990404162) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    t = (a + (d ^ (b & (c ^ d))) + x12 + 1804603682) | 0; a = (((t << 7) | (t >>> 25)) + b) | 0;
    t = (d + (c ^ (a & (b ^ c))) + x13 - 40341101) | 0; d = (((t << 12) | (t >>> 20)) + a) | 0;
    t = (c + (b ^ (d & (a ^ b))) + x14 - 1502002290) | 0; c = (((t << 17) | (t >>> 15)) + d) | 0;
    t = (b + (a ^ (c & (d ^ a))) + x15 + 1236535329) | 0; b = (((t << 22) | (t >>> 10)) + c) | 0;
    // Round 2: G = (b & d) | (c & ~d)
    t = (a + (c ^ (d & (b ^ c))) + x1 - 165796510) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x6 - 1069501632) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x11 + 643717713) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x0 - 373897302) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x5 - 701558691) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x10 + 38016083) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x15 - 660478335) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x4 - 405537848) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x9 + 568446438) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x14 - 1019803690) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x3 - 187363961) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x8 + 1163531501) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    t = (a + (c ^ (d & (b ^ c))) + x13 - 1444681467) | 0; a = (((t << 5) | (t >>> 27)) + b) | 0;
    t = (d + (b ^ (c & (a ^ b))) + x2 - 51403784) | 0; d = (((t << 9) | (t >>> 23)) + a) | 0;
    t = (c + (a ^ (b & (d ^ a))) + x7 + 1735328473) | 0; c = (((t << 14) | (t >>> 18)) + d) | 0;
    t = (b + (d ^ (a & (c ^ d))) + x12 - 1926607734) | 0; b = (((t << 20) | (t >>> 12)) + c) | 0;
    // Round 3: H = b ^ c ^ d
    t = (a + (b ^ c ^ d) + x5 - 378558) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x8 - 2022574463) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x11 + 1839030562) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x14 - 35309556) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x1 - 1530992060) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x4 + 1272893353) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x7 - 155497632) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x10 - 1094730640) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x13 + 681279174) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x0 - 358537222) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x3 - 722521979) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x6 + 76029189) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    t = (a + (b ^ c ^ d) + x9 - 640364487) | 0; a = (((t << 4) | (t >>> 28)) + b) | 0;
    t = (d + (a ^ b ^ c) + x12 - 421815835) | 0; d = (((t << 11) | (t >>> 21)) + a) | 0;
    t = (c + (d ^ a ^ b) + x15 + 530742520) | 0; c = (((t << 16) | (t >>> 16)) + d) | 0;
    t = (b + (c ^ d ^ a) + x2 - 995338651) | 0; b = (((t << 23) | (t >>> 9)) + c) | 0;
    // Round 4: I = c ^ (b | ~d)
    t = (a + (c ^ (b | ~d)) + x0 - 198630844) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x7 + 1126891415) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x14 - 1416354905) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x5 - 57434055) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x12 + 1700485571) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x3 - 1894986606) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x10 - 1051523) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x1 - 2054922799) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x8 + 1873313359) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x15 - 30611744) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x6 - 1560198380) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x13 + 1309151649) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    t = (a + (c ^ (b | ~d)) + x4 - 145523070) | 0; a = (((t << 6) | (t >>> 26)) + b) | 0;
    t = (d + (b ^ (a | ~c)) + x11 - 1120210379) | 0; d = (((t << 10) | (t >>> 22)) + a) | 0;
    t = (c + (a ^ (d | ~b)) + x2 + 718787259) | 0; c = (((t << 15) | (t >>> 17)) + d) | 0;
    t = (b + (d ^ (c | ~a)) + x9 - 343485551) | 0; b = (((t << 21) | (t >>> 11)) + c) | 0;
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  h[0] = a;
  h[1] = b;
  h[2] = c;
  h[3] = d;
}

/** The MD5 of `data` as 32 lowercase hex digits. */
export function md5Hex(data: Uint8Array): string {
  const h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
  const full = data.length >>> 6;
  blocks(h, data, 0, full);
  const rest = data.length - full * 64;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(data.subarray(full * 64));
  tail[rest] = 0x80;
  const bitLenLo = (data.length * 8) >>> 0;
  const bitLenHi = Math.floor(data.length / 0x20000000);
  const p = tail.length - 8;
  tail[p] = bitLenLo & 0xff;
  tail[p + 1] = (bitLenLo >>> 8) & 0xff;
  tail[p + 2] = (bitLenLo >>> 16) & 0xff;
  tail[p + 3] = (bitLenLo >>> 24) & 0xff;
  tail[p + 4] = bitLenHi & 0xff;
  tail[p + 5] = (bitLenHi >>> 8) & 0xff;
  tail[p + 6] = (bitLenHi >>> 16) & 0xff;
  tail[p + 7] = (bitLenHi >>> 24) & 0xff;
  blocks(h, tail, 0, tail.length >>> 6);
  return toHex(h[0]!, h[1]!, h[2]!, h[3]!);
}

/** MD5 of a text as its UTF-8 bytes (imphash hashes a UTF-8 string). */
export function md5Utf8(text: string): string {
  return md5Hex(new TextEncoder().encode(text));
}
