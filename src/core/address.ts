// Addresses in reports are hex strings ("0x401000"), so 64-bit values survive JSON and read as analysts expect.

export type HexAddress = `0x${string}`;

export function hex(value: number | bigint): HexAddress {
  return `0x${value.toString(16)}`;
}

export function parseHex(text: string): number {
  const v = Number.parseInt(text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text, 16);
  return Number.isFinite(v) ? v : NaN;
}
