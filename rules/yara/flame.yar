// Flame (sKyWIper, Flamer): the 2012 espionage platform that miniFlame plugs into.
// Written by Firebreak from the public facts in ../shared/intel/miniflame-and-relatives.md (section 2, Flame).

import "pe"

rule Flame_Mutex_Format_Strings
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "Two or more of Flame's thread-pool and update mutex format strings, or its JcvEvent3 event name, in a PE image."
        reference = "Mutex and event names in public Flame signatures: theZoo Skywiper-A.Flame (resteex0/yarex), Microsoft Worm:Win32/Flame (roadwy/DefenderYara)"
        confidence = "high"
        attack = "T1547.002, T1113, T1123"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $m1 = "TH_POOL_SHD_MTX_FSW95XQ_%d" ascii wide
        $m2 = "TH_POOL_SHD_PQOISNG_%dSYNCMTX" ascii wide
        $m3 = "TH_POOL_SHD_MTX_GMN94XQ_%d" ascii wide
        $m4 = "TH_POOL_SHD_PQOMGMN_%dSYNCMTX" ascii wide
        $m5 = "UPDT_SYNC_MTX_TME_ON_OFF_%d_%d" ascii wide
        $e1 = "JcvEvent3" fullword ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 10MB and 2 of them
}

rule Flame_PDB_Jimmy_indsvc32
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "The PDB path of Flame's indsvc32 component (project 'Jimmy', JimmyForClan) in a PE image; seen in sample MD5 581F2EF2E3BA164281B562E435882EB5."
        reference = "advanced-threat-research/Yara-Rules APT/flamer_pdb.yar (the PDB path and sample hash)"
        confidence = "high"
        attack = "T1547.002"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $pdb = "\\Projects\\Jimmy\\jimmydll_v2.0\\JimmyForClan\\Jimmy\\bin\\srelease\\jimmydll\\indsvc32.pdb" nocase ascii
    condition:
        uint16(0) == 0x5A4D and filesize < 10MB and $pdb
}

rule Flame_mssecmgr_Build_String
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "The build string of mssecmgr.ocx, Flame's main module ('Unidentified build, Aug 31 2011 23:15:32'), in a PE image."
        reference = "Tenable Nessus plugin 59318, Windows Flamer / Skywiper Malware Detection"
        confidence = "medium"
        attack = "T1547.002"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $build = "Unidentified build, Aug 31 2011 23:15:32" ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 20MB and $build
}

rule Flame_boot32drv_RearWindow_Xor
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "REAR_WINDOW as UTF-16LE XORed with 0xFF, the marker Flame's boot32drv.sys data file carries."
        reference = "Tenable Nessus plugin 59318, Windows Flamer / Skywiper Malware Detection"
        confidence = "medium"
        attack = "T1027"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        // "REAR_WINDOW" in UTF-16LE, every byte XOR 0xFF
        $rear_window = { AD FF BA FF BE FF AD FF A0 FF A8 FF B6 FF B1 FF BB FF B0 FF A8 FF }
    condition:
        filesize < 20MB and $rear_window
}

rule Flame_browse32_Suicide_Module
{
    meta:
        family = "Flame"
        variant = "browse32 (suicide module)"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "A DLL exporting EnableBrowser and StartBrowse, the self-delete module browse32.ocx, that also names at least three of the Flame files it wipes."
        reference = "Symantec, 'Flamer: Urgent Suicide' (public blog copies)"
        confidence = "high"
        attack = "T1070.004"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $f1 = "advnetcfg.ocx" nocase ascii wide
        $f2 = "boot32drv.sys" nocase ascii wide
        $f3 = "ccalc32.sys" nocase ascii wide
        $f4 = "comspol32.ocx" nocase ascii wide
        $f5 = "indsvc32.ocx" nocase ascii wide
        $f6 = "mssecmgr.ocx" nocase ascii wide
        $f7 = "msglu32.ocx" nocase ascii wide
        $f8 = "nteps32.ocx" nocase ascii wide
        $f9 = "soapr32.ocx" nocase ascii wide
        $f10 = "winconf32.ocx" nocase ascii wide
        $f11 = "watchxb.sys" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 10MB and
        pe.exports("EnableBrowser") and pe.exports("StartBrowse") and 3 of ($f*)
}

rule Flame_Component_File_Set
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "A PE image naming at least six of Flame's component files, temporary files and Common Files folders: the set its suicide module lists."
        reference = "Symantec, 'Flamer: Urgent Suicide' (public blog copies)"
        confidence = "medium"
        attack = "T1547.002, T1070.004"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $f1 = "advnetcfg.ocx" nocase ascii wide
        $f2 = "boot32drv.sys" nocase ascii wide
        $f3 = "ccalc32.sys" nocase ascii wide
        $f4 = "comspol32.ocx" nocase ascii wide
        $f5 = "indsvc32.ocx" nocase ascii wide
        $f6 = "mssecmgr.ocx" nocase ascii wide
        $f7 = "msglu32.ocx" nocase ascii wide
        $f8 = "nteps32.ocx" nocase ascii wide
        $f9 = "soapr32.ocx" nocase ascii wide
        $f10 = "winconf32.ocx" nocase ascii wide
        $f11 = "watchxb.sys" nocase ascii wide
        $f12 = "rpcnc.dat" nocase ascii wide
        $f13 = "ntaps.dat" nocase ascii wide
        $f14 = "scaud32.exe" nocase ascii wide
        $f15 = "sdclt32.exe" nocase ascii wide
        $d1 = "Microsoft Shared\\MSAudio" nocase ascii wide
        $d2 = "Microsoft Shared\\MSAuthCtrl" nocase ascii wide
        $d3 = "Microsoft Shared\\MSSecurityMgr" nocase ascii wide
        $d4 = "Microsoft Shared\\MSSndMix" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 10MB and 6 of them
}

rule Flame_CnC_Server_Protocol_Names
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "PHP code naming at least two of the Flame C&C server's client protocols OldProtocolE (spoken to SPE, that is miniFlame), SignupProtocol and RedProtocol: the server side of the Flame platform."
        reference = "https://securelist.com/miniflame-aka-spe-elvis-and-his-friends-5/31730/; https://www.itworld.com/security/303530"
        confidence = "medium"
        attack = "T1071"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $old_e = "OldProtocolE" fullword ascii
        $signup = "SignupProtocol" fullword ascii
        $red = "RedProtocol" fullword ascii
        // the PHP open tag, written with an escape so this rule file does not match itself
        $php = "<?ph\x70"
    condition:
        filesize < 2MB and $php in (0..1024) and 2 of ($old_e, $signup, $red)
}

rule Flame_USB_Dot_Container_Entry
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "A FAT directory entry set whose long file name is '.' followed by a Hidden+System short entry: the container Flame writes to USB drives so Explorer skips it (CrySyS saw the short name HUB001.DAT). Matches raw volume or disk images."
        reference = "https://blog.crysys.hu/2012/06/flame-usb-dot-file-confirmed/"
        confidence = "medium"
        attack = "T1091, T1564.001, T1052.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        // LFN slot 1 (last) spelling ".", NUL-terminated and 0xFFFF-padded, attribute 0x0F, then the short entry:
        // 11 name bytes and an attribute byte with Hidden and System set (0x06, 0x07, 0x26, 0x27).
        $dot_lfn = { 41 2E 00 00 00 FF FF FF FF FF FF 0F 00 ?? FF FF FF FF FF FF FF FF FF FF FF FF 00 00 FF FF FF FF
                     [11] (06 | 07 | 26 | 27) }
    condition:
        $dot_lfn
}

rule Flame_Unexplained_Root_Login_String
{
    meta:
        family = "Flame"
        aliases = "sKyWIper, Flamer, Skywiper"
        description = "The string root@195.97.78.162 -P 443 found in Microsoft's Worm:Win32/Flame.gen!E signature, in a PE image. Its context is unknown."
        reference = "Microsoft signature Worm:Win32/Flame.gen!E (roadwy/DefenderYara Worm_Win32_Flame_gen_E.yar)"
        confidence = "low"
        attack = "T1071"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $s = "root@195.97.78.162 -P 443" ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 20MB and $s
}
