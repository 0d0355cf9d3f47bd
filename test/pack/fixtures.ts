// The detection pack's fixtures: which benign file each rule and IOC list is tested on, and how it is made.
//
// Layout under examples/: <family>/<RuleName>/... holds the positives of rule <RuleName> (every file below that
// folder, see docs/pack.md); <family>/host/, usb-stick/ and network/ hold planted files whose names, paths or
// text match the family's IOC list. Nothing here is malware: PE fixtures are our own C programs that only carry
// the strings a rule keys on and are never run.

import { buildHive, type RegKey } from './gen/regf.js';
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
  const controlSet: RegKey = {
    name: 'ControlSet001',
    subkeys: [
      {
        name: 'Control',
        subkeys: [
          {
            name: 'TimeZoneInformation',
            values: [
              { name: 'Bias', type: 'dword', data: 0xfffffe20 },
              { name: 'StandardName', type: 'sz', data: 'Middle East Standard Time' },
              { name: 'StandardBias', type: 'dword', data: 0 },
              { name: 'standarddatebias', type: 'dword', data: 0 },
              { name: 'standardtimebias', type: 'dword', data: 0 },
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
              { name: 'Parameters', values: [{ name: 'ServiceDll', type: 'expand_sz', data: '%windir%\\system32\\icsvnt32.ocx' }] },
            ],
          },
        ],
      },
    ],
  };
  return buildHive(systemRoot(controlSet), 'SYSTEM');
}

/** A SYSTEM hive with Stuxnet's MRxCls service key, the Territorial Dispute check's registry marker. */
function stuxnetSystemHive(): Uint8Array {
  const controlSet: RegKey = {
    name: 'ControlSet001',
    subkeys: [
      {
        name: 'Services',
        subkeys: [
          {
            name: 'MRxCls',
            values: [
              { name: 'ImagePath', type: 'expand_sz', data: '\\SystemRoot\\System32\\drivers\\mrxcls.sys' },
              { name: 'Type', type: 'dword', data: 1 },
            ],
          },
        ],
      },
    ],
  };
  return buildHive(systemRoot(controlSet), 'SYSTEM');
}

function systemRoot(controlSet: RegKey): RegKey {
  return {
    name: 'ROOT',
    subkeys: [
      controlSet,
      {
        name: 'Select',
        values: [
          { name: 'Current', type: 'dword', data: 1 },
          { name: 'Default', type: 'dword', data: 1 },
          { name: 'LastKnownGood', type: 'dword', data: 1 },
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

/** A USB stick image: Flame's "." container (short name HUB001.DAT, Hidden+System+Archive) beside Gauss's files. */
function usbStickImage(): Uint8Array {
  const note = (s: string): Uint8Array => encoder.encode(`Firebreak example: ${s}\r\n`);
  return buildFat12Image('FB-USB', [
    { shortName: 'README  TXT', attributes: ATTR_ARCHIVE, content: note('a benign stick image for the detection pack.') },
    {
      shortName: 'HUB001  DAT',
      longName: '.',
      attributes: ATTR_HIDDEN | ATTR_SYSTEM | ATTR_ARCHIVE,
      content: note('stands in for the encrypted container Flame hides under the long name ".".'),
    },
    { shortName: 'SYSTEM32DAT', longName: 'System32.dat', attributes: ATTR_ARCHIVE, content: note('Gauss USB payload name.') },
    { shortName: 'THUMBS~1DB ', longName: '.thumbs.db', attributes: ATTR_HIDDEN | ATTR_ARCHIVE, content: note('Gauss data store name.') },
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

export const FIXTURES: Fixture[] = [
  // miniFlame
  c('MiniFlame_SPE_CommandSet', 'miniflame/MiniFlame_SPE_CommandSet/spe-commands.ocx', 'pack_spe_commands'),
  c('MiniFlame_SPE_Commands_With_ClientProtocol', 'miniflame/MiniFlame_SPE_Commands_With_ClientProtocol/spe-client.ocx', 'pack_spe_client_protocol'),
  c('MiniFlame_Install_Path_icsvnt32', 'miniflame/MiniFlame_Install_Path_icsvnt32/spe-installer.ocx', 'pack_spe_install_path'),
  c('MiniFlame_4x_Nla_ServiceDll_Trigger', 'miniflame/MiniFlame_4x_Nla_ServiceDll_Trigger/spe-4x.ocx', 'pack_spe_4x_nla'),
  {
    kind: 'generated',
    rule: 'MiniFlame_TimeZone_Bias_Host_Marker',
    path: 'miniflame/MiniFlame_TimeZone_Bias_Host_Marker/Windows/System32/config/SYSTEM',
    bytes: miniflameSystemHive,
  },
  {
    kind: 'generated',
    rule: 'MiniFlame_TimeZone_Bias_Host_Marker',
    path: 'miniflame/MiniFlame_TimeZone_Bias_Host_Marker/timezone-export.reg',
    bytes: timezoneRegExport,
  },
  { kind: 'generated', path: 'miniflame/host/Windows/System32/icsvnt32.dll', bytes: planted('miniFlame', 'miniflame.txt') },
  { kind: 'generated', path: 'miniflame/host/Windows/System32/icsvnt32.ocx', bytes: planted('miniFlame', 'miniflame.txt') },
  { kind: 'generated', path: 'miniflame/host/Windows/System32/drivers/icsvnt32.sys', bytes: planted('miniFlame', 'miniflame.txt') },

  // Flame
  c('Flame_Mutex_Format_Strings', 'flame/Flame_Mutex_Format_Strings/flame-mutexes.exe', 'pack_flame_mutexes', 'exe'),
  c('Flame_PDB_Jimmy_indsvc32', 'flame/Flame_PDB_Jimmy_indsvc32/indsvc32.ocx', 'pack_flame_pdb'),
  c('Flame_mssecmgr_Build_String', 'flame/Flame_mssecmgr_Build_String/mssecmgr.ocx', 'pack_flame_build'),
  { kind: 'generated', rule: 'Flame_boot32drv_RearWindow_Xor', path: 'flame/Flame_boot32drv_RearWindow_Xor/boot32drv.sys', bytes: boot32drvData },
  c('Flame_browse32_Suicide_Module', 'flame/Flame_browse32_Suicide_Module/browse32.ocx', 'pack_flame_browse32'),
  c('Flame_Component_File_Set', 'flame/Flame_Component_File_Set/flame-components.exe', 'pack_flame_components', 'exe'),
  { kind: 'generated', rule: 'Flame_CnC_Server_Protocol_Names', path: 'flame/Flame_CnC_Server_Protocol_Names/protocols.php', bytes: text(PHP_PROTOCOLS) },
  { kind: 'generated', rule: 'Flame_USB_Dot_Container_Entry', path: 'flame/Flame_USB_Dot_Container_Entry/usb-stick.img', bytes: usbStickImage },
  c('Flame_Unexplained_Root_Login_String', 'flame/Flame_Unexplained_Root_Login_String/flame-root-string.exe', 'pack_flame_root', 'exe'),
  { kind: 'generated', path: 'flame/host/Windows/System32/advnetcfg.ocx', bytes: planted('Flame', 'flame.txt') },
  { kind: 'generated', path: 'flame/host/Windows/System32/ccalc32.sys', bytes: planted('Flame', 'flame.txt') },
  {
    kind: 'generated',
    path: 'flame/host/Program Files/Common Files/Microsoft Shared/MSSecurityMgr/readme.txt',
    bytes: planted('Flame', 'flame.txt'),
  },
  ...plantedFiles('Flame', 'flame.txt', [
    'flame/host/Windows/System32/comspol32.ocx',
    'flame/host/Windows/System32/msglu32.ocx',
    'flame/host/Windows/System32/nteps32.ocx',
    'flame/host/Windows/System32/soapr32.ocx',
    'flame/host/Windows/System32/winconf32.ocx',
    'flame/host/Windows/System32/watchxb.sys',
    'flame/host/Windows/System32/sstab15.dat',
    'flame/host/Windows/System32/rpcnc.dat',
    'flame/host/Windows/System32/ntaps.dat',
    'flame/host/Windows/Temp/~DFL543.tmp',
    'flame/host/Windows/Temp/~dra52.tmp',
    'flame/host/Windows/Temp/~HLV473.tmp',
    'flame/host/Windows/Temp/~KWI988.tmp',
    'flame/host/Windows/Temp/scaud32.exe',
    'flame/host/Windows/Temp/sdclt32.exe',
    'flame/host/Program Files/Common Files/Microsoft Shared/MSAudio/readme.txt',
    'flame/host/Program Files/Common Files/Microsoft Shared/MSAuthCtrl/readme.txt',
    'flame/host/Program Files/Common Files/Microsoft Shared/MSSndMix/readme.txt',
    'flame/usb-stick/HUB001.DAT',
  ]),
  { kind: 'generated', path: 'flame/network/planted-indicators.txt', bytes: text('Firebreak example: 195.97.78.162 (Flame, context unknown)\n') },

  // Gauss
  c('Gauss_PDB_winshell', 'gauss/Gauss_PDB_winshell/winshell.ocx', 'pack_gauss_pdb'),
  c('Gauss_Godel_Salt_And_Hash', 'gauss/Gauss_Godel_Salt_And_Hash/godel-loader.dll', 'pack_gauss_godel'),
  { kind: 'generated', rule: 'Gauss_Palida_Narrow_Font', path: 'gauss/Gauss_Palida_Narrow_Font/palida-narrow.ttf', bytes: () => buildNameOnlyFont('Palida Narrow', 'Regular') },
  c('Gauss_USB_Module_Artifacts', 'gauss/Gauss_USB_Module_Artifacts/gauss-usb.dll', 'pack_gauss_usb'),
  c('Gauss_Isvp4003ltr_Event', 'gauss/Gauss_Isvp4003ltr_Event/gauss-event.exe', 'pack_gauss_event', 'exe'),
  c('Gauss_Lebanese_Bank_Targets', 'gauss/Gauss_Lebanese_Bank_Targets/gauss-banks.dll', 'pack_gauss_banks'),
  { kind: 'generated', path: 'gauss/usb-stick/System32.dat', bytes: planted('Gauss', 'gauss.txt') },
  { kind: 'generated', path: 'gauss/usb-stick/System32.bin', bytes: planted('Gauss', 'gauss.txt') },
  { kind: 'generated', path: 'gauss/usb-stick/.thumbs.db', bytes: planted('Gauss', 'gauss.txt') },
  { kind: 'generated', path: 'gauss/host/Windows/System32/winshell.ocx', bytes: planted('Gauss', 'gauss.txt') },

  // Duqu
  c('Duqu_GpdDev_Device_Name', 'duqu/Duqu_GpdDev_Device_Name/jminet7.sys', 'pack_duqu_gpddev', 'native'),
  c('Duqu_Driver_And_Config_File_Names', 'duqu/Duqu_Driver_And_Config_File_Names/duqu-loader.dll', 'pack_duqu_names'),
  c('Duqu_ALiIDE_Variant_Config', 'duqu/Duqu_ALiIDE_Variant_Config/allide-config.dll', 'pack_duqu_allide'),
  c('Duqu_CnC_JPEG_Upload', 'duqu/Duqu_CnC_JPEG_Upload/duqu-cnc.dll', 'pack_duqu_cnc'),
  ...plantedFiles('Duqu', 'duqu.txt', [
    'duqu/host/Windows/System32/drivers/cmi4432.sys',
    'duqu/host/Windows/System32/drivers/nfred965.sys',
    'duqu/host/Windows/System32/drivers/nred961.sys',
    'duqu/host/Windows/System32/drivers/adpu321.sys',
    'duqu/host/Windows/System32/drivers/iaStor451.sys',
    'duqu/host/Windows/System32/drivers/allide1.sys',
  ]),
  { kind: 'generated', path: 'duqu/host/Windows/inf/iddr021.pnf', bytes: planted('Duqu', 'duqu.txt') },
  { kind: 'generated', path: 'duqu/host/Users/Public/AppData/Local/Temp/~DQ17.tmp', bytes: planted('Duqu', 'duqu.txt') },
  {
    kind: 'generated',
    path: 'duqu/network/planted-indicators.txt',
    bytes: text('Firebreak example: 206.183.111.97 canoyragomez.rapidns.com kasperskychk.dyndns.org (Duqu C&C)\n'),
  },

  // Stuxnet
  c('Stuxnet_Dropper_Marker_String', 'stuxnet/Stuxnet_Dropper_Marker_String/stuxnet-dropper.exe', 'pack_stuxnet_marker', 'exe'),
  c('Stuxnet_Driver_guava_PDB', 'stuxnet/Stuxnet_Driver_guava_PDB/mrxnet.sys', 'pack_stuxnet_guava', 'native'),
  c('Stuxnet_Dropped_File_Names', 'stuxnet/Stuxnet_Dropped_File_Names/stuxnet-names.dll', 'pack_stuxnet_names'),
  c('Stuxnet_CnC_Football_Domains', 'stuxnet/Stuxnet_CnC_Football_Domains/stuxnet-config.dll', 'pack_stuxnet_domains'),
  { kind: 'generated', path: 'stuxnet/host/Windows/System32/config/SYSTEM', bytes: stuxnetSystemHive },
  { kind: 'generated', path: 'stuxnet/host/Windows/System32/drivers/mrxcls.sys', bytes: planted('Stuxnet', 'stuxnet.txt') },
  { kind: 'generated', path: 'stuxnet/host/Windows/System32/s7otbxsx.dll', bytes: planted('Stuxnet', 'stuxnet.txt') },
  ...plantedFiles('Stuxnet', 'stuxnet.txt', [
    'stuxnet/host/Windows/inf/mdmcpq3.PNF',
    'stuxnet/host/Windows/inf/mdmeric3.PNF',
    'stuxnet/host/Windows/inf/oem6C.PNF',
    'stuxnet/host/Windows/inf/oem7A.PNF',
    'stuxnet/host/Windows/System32/drivers/mrxnet.sys',
  ]),
  { kind: 'generated', path: 'stuxnet/usb-stick/Copy of Shortcut to.lnk', bytes: planted('Stuxnet', 'stuxnet.txt') },
  { kind: 'generated', path: 'stuxnet/usb-stick/~WTR4141.tmp', bytes: planted('Stuxnet', 'stuxnet.txt') },
  {
    kind: 'generated',
    path: 'stuxnet/network/planted-indicators.txt',
    bytes: text('Firebreak example: www.mypremierfutbol.com www.todaysfutbol.com (Stuxnet C&C)\n'),
  },
];
