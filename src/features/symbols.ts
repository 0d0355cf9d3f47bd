// Import names as features: the module-qualified and bare names, with and without the A/W suffix (capa's generate_symbols).

/** `KERNEL32.dll` → `kernel32`: lower case, without .dll/.drv/.so, as capa normalizes module names. */
export function normalizeDll(dll: string): string {
  let d = dll.toLowerCase();
  for (const ext of ['.dll', '.drv', '.so']) if (d.endsWith(ext)) d = d.slice(0, -ext.length);
  return d;
}

function isAw(symbol: string): boolean {
  return symbol.length >= 2 && (symbol.endsWith('A') || symbol.endsWith('W'));
}

/**
 * The names one import answers to. `api` features use bare names (`CreateFileA`, `CreateFile`) and keep the module
 * only for ordinals (`ws2_32.#23`); `import` features add the module-qualified forms (`kernel32.CreateFileA`).
 */
export function symbolNames(dll: string, name: string | null, ordinal: number | null, includeDll: boolean): string[] {
  const d = normalizeDll(dll);
  const symbol = name ?? `#${ordinal ?? 0}`;
  const out: string[] = [];
  const ordinalOnly = symbol.startsWith('#');
  if (includeDll || ordinalOnly) out.push(`${d}.${symbol}`);
  if (!ordinalOnly) {
    out.push(symbol);
    if (isAw(symbol)) {
      if (includeDll) out.push(`${d}.${symbol.slice(0, -1)}`);
      out.push(symbol.slice(0, -1));
    }
  }
  return out;
}
