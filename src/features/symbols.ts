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

/** capa's generate_symbols for one symbol (`CreateFileA`, or `#23` for an ordinal). */
function generateSymbols(d: string, symbol: string, includeDll: boolean, out: string[]): void {
  const ordinal = symbol.startsWith('#');
  if (includeDll || ordinal) out.push(`${d}.${symbol}`);
  if (ordinal) return;
  out.push(symbol);
  if (isAw(symbol)) {
    if (includeDll) out.push(`${d}.${symbol.slice(0, -1)}`);
    out.push(symbol.slice(0, -1));
  }
}

/**
 * The names one import answers to. `api` features use bare names (`CreateFileA`, `CreateFile`) and keep the module
 * only for ordinals (`ws2_32.#23`); `import` features add the module-qualified forms (`kernel32.CreateFileA`).
 * `ordinal` is set only for an import by ordinal; `name` is then the ordinal table's name for it, if any. Such an
 * import answers to both its resolved name and `dll.#N`, as capa's IDA backend yields them (its vivisect backend
 * yields the name alone, its pefile backend `dll.#N` alone): a rule written either way matches. The `ord<N>`
 * placeholder the PE parser gives an ordinal its table lacks is no name.
 */
export function symbolNames(dll: string, name: string | null, ordinal: number | null, includeDll: boolean): string[] {
  const d = normalizeDll(dll);
  const out: string[] = [];
  if (name !== null && name !== '' && (ordinal === null || name !== `ord${ordinal}`)) generateSymbols(d, name, includeDll, out);
  if (ordinal !== null) generateSymbols(d, `#${ordinal}`, includeDll, out);
  return out;
}
