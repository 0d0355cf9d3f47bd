// The whole parse as text for people: a summary, then one aligned table per part, like readpe or pefile's dump_info.

import type { PeFile } from './pe.js';

const hx = (v: number | bigint, width = 0): string => `0x${v.toString(16).padStart(width, '0')}`;

/**
 * Columns padded to their widest cell; numbers-looking columns stay left-aligned so hex lines up. No rows give no
 * lines, not a lone header: a part the file lacks is left out, as the optional parts are.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  if (rows.length === 0) return [];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => (indent + cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).trimEnd();
  return [line(headers), ...rows.map(line)];
}

function pairs(rows: readonly (readonly [string, string])[], indent = '  '): string[] {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(w)}  ${v}`.trimEnd());
}

/** Control characters and non-printables in names shown as escapes, so hostile names cannot mess up a terminal. */
function safe(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function section(title: string, body: string[]): string[] {
  return body.length === 0 ? [] : ['', `== ${title} ==`, ...body];
}

export function peToText(pe: PeFile, name = ''): string {
  const o = pe.optional;
  const out: string[] = [];
  const ep = pe.entryPoint;
  const epSection = ep.section === null ? 'outside sections' : safe(pe.sections[ep.section]!.longName ?? pe.sections[ep.section]!.name);
  const cv = pe.codeView;
  const signer = pe.authenticode?.signer ?? null;
  const rich = pe.rich;
  const overlay = pe.overlay;
  const cs = pe.checksum;
  const summary: [string, string][] = [];
  if (name) summary.push(['File', safe(name)]);
  summary.push(
    ['Size', `${pe.size} bytes`],
    ['Format', `${pe.is64 ? 'PE32+' : 'PE32'} ${pe.coff.machineName} ${o.subsystemName} ${pe.isDll ? 'DLL' : 'executable'}`],
    ['Compiled', pe.coff.timeDateStamp === 0 ? '(zero)' : `${new Date(pe.coff.timeDateStamp * 1000).toISOString()} (${hx(pe.coff.timeDateStamp)})`],
    ['Image base', hx(pe.imageBase)],
    ['Entry point', `${hx(ep.va)} (RVA ${hx(ep.rva)}, ${epSection})`],
    ['Imphash', pe.imphash ?? '(no imports)'],
    ['Checksum', `${hx(cs.stored, 8)} stored, ${hx(cs.computed, 8)} computed${cs.stored !== 0 && cs.stored !== cs.computed ? ' (mismatch)' : ''}`],
  );
  if (cv) summary.push(['PDB', `${safe(cv.pdbPath)} (${cv.format}${cv.guid ? ` ${cv.guid}` : ''}, age ${cv.age})`]);
  if (signer) summary.push(['Signer', `${safe(signer.subject.text)} (issuer ${safe(signer.issuer.text)})`]);
  if (rich) summary.push(['Rich header', `${rich.entries.length} entries, key ${hx(rich.key, 8)} ${rich.checksumValid ? 'valid' : 'INVALID'}, hash ${rich.hash}`]);
  if (overlay) summary.push(['Overlay', `offset ${hx(overlay.offset)}, ${overlay.size} bytes, entropy ${overlay.entropy.toFixed(3)}`]);
  if (pe.clr) summary.push(['.NET', `runtime ${pe.clr.runtimeVersion ?? '?'}, flags ${pe.clr.flagNames.join(' ') || hx(pe.clr.flags)}`]);
  out.push(...pairs(summary, ''));

  const dos = pe.dos;
  const words = (ws: readonly number[]): string => ws.map((w) => hx(w, 4)).join(' ');
  out.push(
    ...section(
      'DOS header',
      pairs([
        ['e_magic', `${hx(dos.magic, 4)} MZ`],
        ['e_cblp', String(dos.lastPageSize)],
        ['e_cp', String(dos.pageCount)],
        ['e_crlc', String(dos.relocationCount)],
        ['e_cparhdr', String(dos.headerParagraphs)],
        ['e_minalloc', hx(dos.minAlloc, 4)],
        ['e_maxalloc', hx(dos.maxAlloc, 4)],
        ['e_ss', hx(dos.ss, 4)],
        ['e_sp', hx(dos.sp, 4)],
        ['e_csum', hx(dos.checksum, 4)],
        ['e_ip', hx(dos.ip, 4)],
        ['e_cs', hx(dos.cs, 4)],
        ['e_lfarlc', hx(dos.relocationTableOffset, 4)],
        ['e_ovno', String(dos.overlayNumber)],
        ['e_res', words(dos.reserved)],
        ['e_oemid', hx(dos.oemId, 4)],
        ['e_oeminfo', hx(dos.oemInfo, 4)],
        ['e_res2', words(dos.reserved2)],
        ['e_lfanew', hx(dos.lfanew, 8)],
        ['Stub', `offset ${hx(pe.dosStub.offset)}, ${pe.dosStub.size} bytes`],
      ]),
    ),
  );
  out.push(
    ...section(
      'COFF header',
      pairs([
        ['Machine', `${hx(pe.coff.machine, 4)} ${pe.coff.machineName}`],
        ['NumberOfSections', String(pe.coff.numberOfSections)],
        ['TimeDateStamp', hx(pe.coff.timeDateStamp, 8)],
        ['PointerToSymbolTable', hx(pe.coff.pointerToSymbolTable, 8)],
        ['NumberOfSymbols', String(pe.coff.numberOfSymbols)],
        ['SizeOfOptionalHeader', hx(pe.coff.sizeOfOptionalHeader)],
        ['Characteristics', `${hx(pe.coff.characteristics, 4)} ${pe.coff.flags.join(' ')}`],
      ]),
    ),
  );
  out.push(
    ...section(
      'Optional header',
      pairs([
        ['Magic', `${hx(o.magic, 3)}${o.magicKnown ? '' : ' (unknown)'}`],
        ['LinkerVersion', `${o.majorLinkerVersion}.${o.minorLinkerVersion}`],
        ['SizeOfCode', hx(o.sizeOfCode)],
        ['SizeOfInitializedData', hx(o.sizeOfInitializedData)],
        ['SizeOfUninitializedData', hx(o.sizeOfUninitializedData)],
        ['AddressOfEntryPoint', hx(o.addressOfEntryPoint, 8)],
        ['BaseOfCode', hx(o.baseOfCode, 8)],
        ...(o.baseOfData === null ? [] : ([['BaseOfData', hx(o.baseOfData, 8)]] as [string, string][])),
        ['ImageBase', hx(o.imageBase)],
        ['SectionAlignment', hx(o.sectionAlignment)],
        ['FileAlignment', hx(o.fileAlignment)],
        ['OperatingSystemVersion', `${o.majorOperatingSystemVersion}.${o.minorOperatingSystemVersion}`],
        ['ImageVersion', `${o.majorImageVersion}.${o.minorImageVersion}`],
        ['SubsystemVersion', `${o.majorSubsystemVersion}.${o.minorSubsystemVersion}`],
        ['Win32VersionValue', hx(o.win32VersionValue, 8)],
        ['SizeOfImage', hx(o.sizeOfImage)],
        ['SizeOfHeaders', hx(o.sizeOfHeaders)],
        ['CheckSum', hx(o.checkSum, 8)],
        ['Subsystem', `${o.subsystem} ${o.subsystemName}`],
        ['DllCharacteristics', `${hx(o.dllCharacteristics, 4)} ${o.dllFlags.join(' ')}`],
        ['SizeOfStackReserve', hx(o.sizeOfStackReserve)],
        ['SizeOfStackCommit', hx(o.sizeOfStackCommit)],
        ['SizeOfHeapReserve', hx(o.sizeOfHeapReserve)],
        ['SizeOfHeapCommit', hx(o.sizeOfHeapCommit)],
        ['LoaderFlags', hx(o.loaderFlags)],
        ['NumberOfRvaAndSizes', String(o.numberOfRvaAndSizes)],
      ]),
    ),
  );
  const dirs = pe.dataDirectories.filter((d) => d.inHeader && (d.virtualAddress !== 0 || d.size !== 0));
  out.push(...section('Data directories', table(['#', 'Name', 'Address', 'Size'], dirs.map((d) => [String(d.index), d.name, hx(d.virtualAddress, 8), hx(d.size)]))));
  const stats = pe.sectionStats();
  out.push(
    ...section(
      'Sections',
      table(
        ['#', 'Name', 'VirtAddr', 'VirtSize', 'RawPtr', 'RawSize', 'Entropy', 'MD5', 'Flags'],
        pe.sections.map((s, i) => [
          String(s.index),
          safe(s.longName ? `${s.name} ${s.longName}` : s.name),
          hx(s.virtualAddress, 8),
          hx(s.virtualSize, 8),
          hx(s.pointerToRawData, 8),
          hx(s.sizeOfRawData, 8),
          stats[i]!.entropy?.toFixed(3) ?? '-',
          stats[i]!.md5 ?? '(over budget)',
          s.flags.join(' '),
        ]),
      ),
    ),
  );
  const importRows = (dlls: { dll: string; functions: { iatRva: number; hint: number | null; ordinal: number | null; byOrdinal: boolean; name: string | null }[] }[]): string[] => {
    const lines: string[] = [];
    for (const d of dlls) {
      lines.push(`  ${safe(d.dll)} (${d.functions.length} functions)`);
      lines.push(
        ...table(
          ['IAT', 'Hint', 'Ordinal', 'Name'],
          d.functions.map((f) => [hx(f.iatRva, 8), f.hint === null ? '' : String(f.hint), f.byOrdinal ? String(f.ordinal) : '', safe(f.name ?? '')]),
          '    ',
        ),
      );
    }
    return lines;
  };
  out.push(...section('Imports', importRows(pe.imports)));
  out.push(...section('Delay-load imports', importRows(pe.delayImports)));
  out.push(...section('Bound imports', table(['Name', 'TimeDateStamp', 'Forwarders'], pe.boundImports.map((b) => [safe(b.name), hx(b.timeDateStamp, 8), b.forwarders.map((f) => safe(f.name)).join(' ')]))));
  const exp = pe.exports;
  if (exp) {
    out.push(
      ...section('Exports', [
        ...pairs([
          ['Name', safe(exp.name ?? '')],
          ['Base', String(exp.base)],
          ['NumberOfFunctions', String(exp.numberOfFunctions)],
          ['NumberOfNames', String(exp.numberOfNames)],
        ]),
        ...table(['Ordinal', 'RVA', 'Name', 'Forwarder'], exp.symbols.map((s) => [String(s.ordinal), hx(s.rva, 8), safe(s.name ?? ''), safe(s.forwarder ?? '')])),
      ]),
    );
  }
  const tls = pe.tls;
  if (tls) {
    out.push(
      ...section('TLS', [
        ...pairs([
          ['AddressOfIndex', hx(tls.addressOfIndex)],
          ['AddressOfCallBacks', hx(tls.addressOfCallBacks)],
        ]),
        ...table(['Callback', 'RVA'], tls.callbacks.map((c) => [hx(c.va), c.rva === null ? 'outside the image' : hx(c.rva, 8)])),
      ]),
    );
  }
  out.push(
    ...section(
      'Resources',
      table(
        ['Type', 'Name', 'Language', 'RVA', 'Size', 'CodePage'],
        pe.resourceList.map((r) => [safe(r.typeName), safe(String(r.name)), hx(r.language, 4), hx(r.rva, 8), String(r.size), String(r.codePage)]),
      ),
    ),
  );
  for (const v of pe.versionInfo) {
    const rows: [string, string][] = [];
    const f = v.fixed;
    if (f) {
      rows.push(
        ['Signature (fixed)', hx(f.signature, 8)],
        ['StrucVersion (fixed)', hx(f.structVersion, 8)],
        ['FileVersion (fixed)', f.fileVersion],
        ['ProductVersion (fixed)', f.productVersion],
        ['FileFlagsMask (fixed)', hx(f.fileFlagsMask, 8)],
        ['FileFlags (fixed)', hx(f.fileFlags, 8)],
        ['FileOS (fixed)', hx(f.fileOS, 8)],
        ['FileType (fixed)', String(f.fileType)],
        ['FileSubtype (fixed)', String(f.fileSubtype)],
        ['FileDate (fixed)', `${hx(f.fileDateMS, 8)} ${hx(f.fileDateLS, 8)}`],
      );
    }
    for (const t of v.stringTables) for (const [k, val] of t.entries) rows.push([`${t.key} ${safe(k)}`, safe(val)]);
    for (const tr of v.translations) rows.push(['Translation', `${hx(tr.language, 4)} ${tr.codePage}`]);
    out.push(...section(`Version information (language ${hx(v.language, 4)})`, pairs(rows)));
  }
  if (pe.manifest) out.push(...section('Manifest', pe.manifest.split(/\r?\n/).slice(0, 200).map((l) => `  ${safe(l)}`)));
  out.push(
    ...section(
      'Debug directory',
      table(
        ['Type', 'TimeDateStamp', 'Size', 'RVA', 'Pointer', 'Detail'],
        pe.debug.map((d) => [d.typeName, hx(d.timeDateStamp, 8), String(d.sizeOfData), hx(d.addressOfRawData, 8), hx(d.pointerToRawData, 8), d.codeView ? safe(d.codeView.pdbPath) : '']),
      ),
    ),
  );
  const lc = pe.loadConfig;
  if (lc) {
    out.push(
      ...section(
        'Load configuration',
        pairs([
          ['Size', hx(lc.size)],
          ['SecurityCookie', lc.securityCookie === null ? '' : hx(lc.securityCookie)],
          ['SEHandlerTable', lc.seHandlerTable === null ? '' : `${hx(lc.seHandlerTable)} (${lc.seHandlerCount} handlers)`],
          ['GuardCFFunctionTable', lc.guardCFFunctionTable === null ? '' : `${hx(lc.guardCFFunctionTable)} (${lc.guardCFFunctionCount} functions)`],
          ['GuardFlags', lc.guardFlags === null ? '' : `${hx(lc.guardFlags, 8)} ${lc.guardFlagNames.join(' ')}`],
          ['Control Flow Guard', lc.cfgEnabled ? 'enabled' : 'not enabled'],
        ]),
      ),
    );
  }
  const rel = pe.relocations;
  if (rel) out.push(...section('Base relocations', pairs([['Blocks', String(rel.blocks.length)], ['Entries', String(rel.entryCount)], ...Object.entries(rel.byType).map(([k, n]) => [k, String(n)] as [string, string])])));
  if (pe.exceptions.length > 0) out.push(...section('Exception directory', pairs([['RUNTIME_FUNCTION entries', String(pe.exceptions.length)]])));
  out.push(
    ...section(
      'Certificates',
      pe.certificates.flatMap((c) => [
        `  ${c.typeName} at ${hx(c.offset)}, ${c.length} bytes, revision ${hx(c.revision, 4)}`,
        ...(c.authenticode
          ? table(['Subject', 'Issuer', 'Serial'], c.authenticode.certificates.map((x) => [safe(x.subject.text), safe(x.issuer.text), x.serialNumber]), '    ')
          : []),
      ]),
    ),
  );
  if (rich) out.push(...section('Rich header', table(['ProductId', 'Build', 'Count'], rich.entries.map((e) => [hx(e.productId, 4), String(e.build), String(e.count)]))));
  const anomalies = pe.anomalies;
  out.push(
    ...section(
      'Anomalies',
      anomalies.length === 0 ? ['  none'] : table(['Severity', 'Code', 'Offset', 'Message'], anomalies.map((a) => [a.severity, a.code, a.offset === undefined ? '' : hx(a.offset), safe(a.message)])),
    ),
  );
  return `${out.join('\n')}\n`;
}
