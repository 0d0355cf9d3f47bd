// The COM class and interface GUIDs that `com/class:` and `com/interface:` rule features name.

/**
 * capa ships a database of tens of thousands of COM names; rules use a handful. This table holds the GUIDs
 * (public Windows SDK constants) of every name the capa corpus and the bundled rules use, plus a few common
 * ones. A name missing here makes its rule fail to load with that reason, listed in docs/capa-compat.md.
 */
const CLASSES: Record<string, string> = {
  WbemLocator: '4590F811-1D3A-11D0-891F-00AA004B2E24',
  SystemDeviceEnum: '62BE5D10-60EB-11D0-BD3B-00A0C911CE86',
  CVidCapClassManager: '860BB310-5D01-11D0-BD3B-00A0C911CE86',
  CWaveinClassManager: '33D9A762-90C8-11D0-BD43-00A0C911CE86',
  InternetExplorer: '0002DF01-0000-0000-C000-000000000046',
  ShellLink: '00021401-0000-0000-C000-000000000046',
  TaskScheduler: '0F87369F-A4E5-4CFC-BD3E-73E6154572DD',
  BackgroundCopyManager: '4991D34B-80A1-4291-83B6-3328366B9097',
};

const INTERFACES: Record<string, string> = {
  IWbemLocator: 'DC12A687-737F-11CF-884D-00AA004B2E24',
  ICreateDevEnum: '29840822-5B84-11D0-BD3B-00A0C911CE86',
  IWebBrowser2: 'D30C1661-CDAF-11D0-8A3E-00C04FC9E26E',
  IShellLinkA: '000214EE-0000-0000-C000-000000000046',
  IShellLinkW: '000214F9-0000-0000-C000-000000000046',
  ITaskService: '2FABA4C7-4DA9-4013-9697-20CC3FD40F85',
  IBackgroundCopyManager: '5CE34C0D-0DC9-4C1F-897C-DAA1B78CEE7C',
};

export type ComType = 'class' | 'interface';

export function comGuid(type: ComType, name: string): string | undefined {
  const table = type === 'class' ? CLASSES : INTERFACES;
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** The 16 bytes of a GUID as it lies in memory (first three fields little-endian), as capa's translation does. */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/-/g, '');
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = Number.parseInt(h.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order.map((i) => b[i]!));
}
