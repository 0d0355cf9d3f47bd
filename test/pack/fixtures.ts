// The detection pack's fixtures: which benign file each rule and IOC list is tested on, and how it is made.
//
// Layout under examples/: <family>/<RuleName>/... holds the positives of rule <RuleName> (every file below that
// folder, see docs/pack.md); <family>/host/, usb-stick/ and network/ hold planted files (and stick images) whose
// names, paths or text match the family's IOC list. Nothing here is malware: PE fixtures are our own C programs
// that only carry the strings a rule keys on and are never run.

import { REG_DWORD, REG_EXPAND_SZ, REG_SZ } from '../../src/formats/regf/index.js';
import { buildHive, dword, sz, type BuildKey } from '../regf/builder.js';
import { buildNameOnlyFont } from './gen/sfnt.js';
import { ATTR_ARCHIVE, ATTR_HIDDEN, ATTR_SYSTEM, buildFat12Image } from './gen/fat.js';

/** A PE fixture compiled with MinGW from test/pack/c/<source>.c. */
export interface CFixture {
  kind: 'c';
  rule: string;
  /** Path under examples/. */
  path: string;
  source: string;
  /** exe, dll, or a native-subsystem image with a DriverEntry that only fails (a .sys look-alike). */
  link: 'exe' | 'dll' | 'native';
}

/** A fixture whose bytes the build script writes itself. */
export interface GeneratedFixture {
  kind: 'generated';
  /** The rule it is a positive for, or undefined for IOC-only files. */
  rule?: string;
  path: string;
  bytes: () => Uint8Array;
  /** A disk image whose members, not its own bytes, carry the hits (the sweep opens it). */
  container?: boolean;
}

export type Fixture = CFixture | GeneratedFixture;

/** Every PE fixture is 32-bit: the families were 32-bit Windows code (miniFlame is a 32-bit DLL). */
export const FIXTURE_ARCH = 'x86' as const;
/** -s, no timestamp and a fixed image base keep rebuilt images byte-identical on the same toolchain. */
export const FIXTURE_CFLAGS = ['-O1', '-s', '-Wall', '-Wextra', '-Werror', '-Wl,--no-insert-timestamp', '-Wl,--disable-auto-image-base'];
export const NATIVE_LDFLAGS = ['-nostdlib', '-nostartfiles', '-Wl,--subsystem,native', '-Wl,-e,_DriverEntry@8'];

const c = (rule: string, path: string, source: string, link: CFixture['link'] = 'dll'): CFixture => ({
  kind: 'c',
  rule,
  path,
  source,
  link,
});

const encoder = new TextEncoder();
const text = (s: string): (() => Uint8Array) => () => encoder.encode(s);

function utf16leWithBom(s: string): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    out[2 + i * 2] = s.charCodeAt(i) & 0xff;
    out[3 + i * 2] = s.charCodeAt(i) >> 8;
  }
  return out;
}

/** Text of a planted file: what it is, so nobody who opens it wonders. */
function planted(family: string, list: string): () => Uint8Array {
  return text(
    `Firebreak example file. Its name or location matches a public ${family} indicator in rules/iocs/${list}.\n` +
      'The content is this text only; it is harmless.\n',
  );
}

function plantedFiles(family: string, list: string, paths: string[]): GeneratedFixture[] {
  return paths.map((path) => ({ kind: 'generated', path, bytes: planted(family, list) }));
}

/** A text file holding a family's network indicators, for the content (domain, ip) IOCs. */
function networkNote(family: string, indicators: string): GeneratedFixture {
  return { kind: 'generated', path: `${family}/network/planted-indicators.txt`, bytes: text(`Firebreak example: ${indicators}\n`) };
}

/** A deterministic stand-in for an encrypted data file, with Flame's XORed marker at 0x400. */
function boot32drvData(): Uint8Array {
  const out = new Uint8Array(4096);
  let x = 0x2012_0528;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  const marker = 'REAR_WINDOW';
  for (let i = 0; i < marker.length; i++) {
    out[0x400 + i * 2] = marker.charCodeAt(i) ^ 0xff;
    out[0x401 + i * 2] = 0xff;
  }
  return out;
}

/** A SYSTEM hive with both miniFlame host markers: the bogus TimeZoneInformation value and Nla's ServiceDll. */
function miniflameSystemHive(): Uint8Array {
  const controlSet: BuildKey = {
    name: 'ControlSet001',
    subkeys: [
      {
        name: 'Control',
        subkeys: [
          {
            name: 'TimeZoneInformation',
            values: [
              { name: 'Bias', type: REG_DWORD, data: dword(0xfffffe20) },
              { name: 'StandardName', type: REG_SZ, data: sz('Middle East Standard Time') },
              { name: 'StandardBias', type: REG_DWORD, data: dword(0) },
              { name: 'standarddatebias', type: REG_DWORD, data: dword(0) },
              { name: 'standardtimebias', type: REG_DWORD, data: dword(0) },
            ],
          },
        ],
      },
      {
        name: 'Services',
        subkeys: [
          {
            name: 'Nla',
            subkeys: [
              { name: 'Parameters', values: [{ name: 'ServiceDll', type: REG_EXPAND_SZ, data: sz('%windir%\\system32\\icsvnt32.ocx') }] },
            ],
          },
        ],
      },
    ],
  };
  return buildHive(systemRoot(controlSet), { fileName: 'SYSTEM' }).bytes;
}

/** A SYSTEM hive with Stuxnet's MRxCls service key, the Territorial Dispute check's registry marker. */
function stuxnetSystemHive(): Uint8Array {
  const controlSet: BuildKey = {
    name: 'ControlSet001',
    subkeys: [
      {
        name: 'Services',
        subkeys: [
          {
            name: 'MRxCls',
            values: [
              { name: 'ImagePath', type: REG_EXPAND_SZ, data: sz('\\SystemRoot\\System32\\drivers\\mrxcls.sys') },
              { name: 'Type', type: REG_DWORD, data: dword(1) },
            ],
          },
        ],
      },
    ],
  };
  return buildHive(systemRoot(controlSet), { fileName: 'SYSTEM' }).bytes;
}

function systemRoot(controlSet: BuildKey): BuildKey {
  return {
    name: 'ROOT',
    subkeys: [
      controlSet,
      {
        name: 'Select',
        values: [
          { name: 'Current', type: REG_DWORD, data: dword(1) },
          { name: 'Default', type: REG_DWORD, data: dword(1) },
          { name: 'LastKnownGood', type: REG_DWORD, data: dword(1) },
        ],
      },
    ],
  };
}

function timezoneRegExport(): Uint8Array {
  return utf16leWithBom(
    'Windows Registry Editor Version 5.00\r\n\r\n' +
      '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation]\r\n' +
      '"StandardBias"=dword:00000000\r\n' +
      '"standardtimebias"=dword:00000000\r\n\r\n',
  );
}

const usbNote = (s: string): Uint8Array => encoder.encode(`Firebreak example: ${s}\r\n`);
const usbReadme = { shortName: 'README  TXT', attributes: ATTR_ARCHIVE, content: usbNote('a benign stick image for the detection pack.') };

/** Flame's USB stick: its "." container (short name HUB001.DAT, Hidden+System+Archive) beside a benign file. */
function flameUsbStickImage(): Uint8Array {
  return buildFat12Image('FB-USB', [
    usbReadme,
    {
      shortName: 'HUB001  DAT',
      longName: '.',
      attributes: ATTR_HIDDEN | ATTR_SYSTEM | ATTR_ARCHIVE,
      content: usbNote('stands in for the encrypted container Flame hides under the long name ".".'),
    },
  ]);
}

/** Gauss's USB stick: the payload names (System32.dat/.bin) and its hidden data store .thumbs.db, as members. */
function gaussUsbStickImage(): Uint8Array {
  return buildFat12Image('FB-USB', [
    usbReadme,
    { shortName: 'SYSTEM32DAT', longName: 'System32.dat', attributes: ATTR_ARCHIVE, content: usbNote('Gauss USB payload name (32-bit).') },
    { shortName: 'SYSTEM32BIN', longName: 'System32.bin', attributes: ATTR_ARCHIVE, content: usbNote('Gauss USB payload name (64-bit).') },
    { shortName: 'THUMBS~1DB ', longName: '.thumbs.db', attributes: ATTR_HIDDEN | ATTR_ARCHIVE, content: usbNote('Gauss data store name.') },
  ]);
}

const PHP_PROTOCOLS = `<?php
// Firebreak example: a benign stand-in for the Flame C&C server's client table, as Kaspersky described it.
// It defines constants only.
const CLIENT_PROTOCOLS = [
    'FL'  => 'OldProtocol',
    'SP'  => 'OldProtocol',
    'SPE' => 'OldProtocolE',
    'IP'  => 'SignupProtocol',
];
// RedProtocol: named by the server code, never implemented.
`;

const gen = (rule: string, path: string, bytes: () => Uint8Array): GeneratedFixture => ({ kind: 'generated', rule, path, bytes });

export const FIXTURES: Fixture[] = [
  // miniFlame
  c('MiniFlame_SPE_CommandSet', 'miniflame/MiniFlame_SPE_CommandSet/spe-commands.ocx', 'pack_spe_commands'),
  c('MiniFlame_SPE_Commands_With_ClientProtocol', 'miniflame/MiniFlame_SPE_Commands_With_ClientProtocol/spe-client.ocx', 'pack_spe_client_protocol'),
  c('MiniFlame_Install_Path_icsvnt32', 'miniflame/MiniFlame_Install_Path_icsvnt32/spe-installer.ocx', 'pack_spe_install_path'),
  c('MiniFlame_4x_Nla_ServiceDll_Trigger', 'miniflame/MiniFlame_4x_Nla_ServiceDll_Trigger/spe-4x.ocx', 'pack_spe_4x_nla'),
  gen('MiniFlame_TimeZone_Bias_Host_Marker', 'miniflame/MiniFlame_TimeZone_Bias_Host_Marker/Windows/System32/config/SYSTEM', miniflameSystemHive),
  gen('MiniFlame_TimeZone_Bias_Host_Marker', 'miniflame/MiniFlame_TimeZone_Bias_Host_Marker/timezone-export.reg', timezoneRegExport),
  ...plantedFiles('miniFlame', 'miniflame.txt', [
    'miniflame/host/Windows/System32/icsvnt32.dll',
    'miniflame/host/Windows/System32/icsvnt32.ocx',
    'miniflame/host/Windows/System32/drivers/icsvnt32.sys',
  ]),

  // Flame
  c('Flame_Mutex_Format_Strings', 'flame/Flame_Mutex_Format_Strings/flame-mutexes.exe', 'pack_flame_mutexes', 'exe'),
  c('Flame_PDB_Jimmy_indsvc32', 'flame/Flame_PDB_Jimmy_indsvc32/indsvc32.ocx', 'pack_flame_pdb'),
  c('Flame_mssecmgr_Build_String', 'flame/Flame_mssecmgr_Build_String/mssecmgr.ocx', 'pack_flame_build'),
  gen('Flame_boot32drv_RearWindow_Xor', 'flame/Flame_boot32drv_RearWindow_Xor/boot32drv.sys', boot32drvData),
  c('Flame_browse32_Suicide_Module', 'flame/Flame_browse32_Suicide_Module/browse32.ocx', 'pack_flame_browse32'),
  c('Flame_Component_File_Set', 'flame/Flame_Component_File_Set/flame-components.exe', 'pack_flame_components', 'exe'),
  gen('Flame_CnC_Server_Protocol_Names', 'flame/Flame_CnC_Server_Protocol_Names/protocols.php', text(PHP_PROTOCOLS)),
  gen('Flame_USB_Dot_Container_Entry', 'flame/Flame_USB_Dot_Container_Entry/usb-stick.img', flameUsbStickImage),
  c('Flame_Unexplained_Root_Login_String', 'flame/Flame_Unexplained_Root_Login_String/flame-root-string.exe', 'pack_flame_root', 'exe'),
  ...plantedFiles('Flame', 'flame.txt', [
    ...['advnetcfg.ocx', 'comspol32.ocx', 'msglu32.ocx', 'nteps32.ocx', 'soapr32.ocx', 'winconf32.ocx'].map((n) => `flame/host/Windows/System32/${n}`),
    ...['ccalc32.sys', 'watchxb.sys', 'sstab15.dat', 'rpcnc.dat', 'ntaps.dat'].map((n) => `flame/host/Windows/System32/${n}`),
    ...['~DFL543.tmp', '~dra52.tmp', '~HLV473.tmp', '~KWI988.tmp', 'scaud32.exe', 'sdclt32.exe'].map((n) => `flame/host/Windows/Temp/${n}`),
    ...['MSAudio', 'MSAuthCtrl', 'MSSecurityMgr', 'MSSndMix'].map((d) => `flame/host/Program Files/Common Files/Microsoft Shared/${d}/readme.txt`),
    'flame/usb-stick/HUB001.DAT',
  ]),
  networkNote('flame', '195.97.78.162 (Flame, context unknown)'),

  // Gauss
  c('Gauss_PDB_winshell', 'gauss/Gauss_PDB_winshell/winshell.ocx', 'pack_gauss_pdb'),
  c('Gauss_Godel_Salt_And_Hash', 'gauss/Gauss_Godel_Salt_And_Hash/godel-loader.dll', 'pack_gauss_godel'),
  gen('Gauss_Palida_Narrow_Font', 'gauss/Gauss_Palida_Narrow_Font/palida-narrow.ttf', () => buildNameOnlyFont('Palida Narrow', 'Regular')),
  c('Gauss_USB_Module_Artifacts', 'gauss/Gauss_USB_Module_Artifacts/gauss-usb.dll', 'pack_gauss_usb'),
  c('Gauss_Isvp4003ltr_Event', 'gauss/Gauss_Isvp4003ltr_Event/gauss-event.exe', 'pack_gauss_event', 'exe'),
  c('Gauss_Lebanese_Bank_Targets', 'gauss/Gauss_Lebanese_Bank_Targets/gauss-banks.dll', 'pack_gauss_banks'),
  ...plantedFiles('Gauss', 'gauss.txt', [
    ...['System32.dat', 'System32.bin', '.thumbs.db'].map((n) => `gauss/usb-stick/${n}`),
    'gauss/host/Windows/System32/winshell.ocx',
  ]),
  // IOC-only: no rule hits the image itself; the sweep opens it and its members hit gauss.txt by name.
  { kind: 'generated', path: 'gauss/usb-stick/usb-stick.img', bytes: gaussUsbStickImage, container: true },

  // Duqu
  c('Duqu_GpdDev_Device_Name', 'duqu/Duqu_GpdDev_Device_Name/jminet7.sys', 'pack_duqu_gpddev', 'native'),
  c('Duqu_Driver_And_Config_File_Names', 'duqu/Duqu_Driver_And_Config_File_Names/duqu-loader.dll', 'pack_duqu_names'),
  c('Duqu_ALiIDE_Variant_Config', 'duqu/Duqu_ALiIDE_Variant_Config/allide-config.dll', 'pack_duqu_allide'),
  c('Duqu_CnC_JPEG_Upload', 'duqu/Duqu_CnC_JPEG_Upload/duqu-cnc.dll', 'pack_duqu_cnc'),
  ...plantedFiles('Duqu', 'duqu.txt', [
    ...['cmi4432.sys', 'nfred965.sys', 'nred961.sys', 'adpu321.sys', 'iaStor451.sys', 'allide1.sys'].map((n) => `duqu/host/Windows/System32/drivers/${n}`),
    'duqu/host/Windows/inf/iddr021.pnf',
    'duqu/host/Users/Public/AppData/Local/Temp/~DQ17.tmp',
  ]),
  networkNote('duqu', '206.183.111.97 canoyragomez.rapidns.com kasperskychk.dyndns.org (Duqu C&C)'),

  // Stuxnet
  c('Stuxnet_Dropper_Marker_String', 'stuxnet/Stuxnet_Dropper_Marker_String/stuxnet-dropper.exe', 'pack_stuxnet_marker', 'exe'),
  c('Stuxnet_Driver_guava_PDB', 'stuxnet/Stuxnet_Driver_guava_PDB/mrxnet.sys', 'pack_stuxnet_guava', 'native'),
  c('Stuxnet_Dropped_File_Names', 'stuxnet/Stuxnet_Dropped_File_Names/stuxnet-names.dll', 'pack_stuxnet_names'),
  c('Stuxnet_CnC_Football_Domains', 'stuxnet/Stuxnet_CnC_Football_Domains/stuxnet-config.dll', 'pack_stuxnet_domains'),
  { kind: 'generated', path: 'stuxnet/host/Windows/System32/config/SYSTEM', bytes: stuxnetSystemHive },
  ...plantedFiles('Stuxnet', 'stuxnet.txt', [
    'stuxnet/host/Windows/System32/drivers/mrxcls.sys',
    'stuxnet/host/Windows/System32/drivers/mrxnet.sys',
    'stuxnet/host/Windows/System32/s7otbxsx.dll',
    ...['mdmcpq3.PNF', 'mdmeric3.PNF', 'oem6C.PNF', 'oem7A.PNF'].map((n) => `stuxnet/host/Windows/inf/${n}`),
    'stuxnet/usb-stick/Copy of Shortcut to.lnk',
    'stuxnet/usb-stick/~WTR4141.tmp',
  ]),
  networkNote('stuxnet', 'www.mypremierfutbol.com www.todaysfutbol.com (Stuxnet C&C)'),
];
