// Gauss: the 2012 banking-espionage toolkit, of Flame's origin, that miniFlame also plugs into.
// Written by Firebreak from the public facts in ../shared/intel/miniflame-and-relatives.md (section 2, Gauss).

rule Gauss_PDB_winshell
{
    meta:
        family = "Gauss"
        aliases = ""
        description = "The PDB path of winshell.ocx, Gauss's main module (\\projects\\gauss\\bin\\release\\winshell.pdb), in a PE image under 1 MB."
        reference = "advanced-threat-research/Yara-Rules APT/gauss_pdb.yar (the PDB path)"
        confidence = "high"
        attack = "T1480.001, T1091"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $pdb = "\\projects\\gauss\\bin\\release\\winshell.pdb" nocase ascii
    condition:
        uint16(0) == 0x5A4D and filesize < 1MB and $pdb
}

rule Gauss_Godel_Salt_And_Hash
{
    meta:
        family = "Gauss"
        variant = "Godel payload"
        aliases = ""
        description = "One of the four published 16-byte salt and MD5 target pairs of Gauss's encrypted Godel payload, both halves of one pair as raw bytes in one file. The key is MD5 over a (%PATH% entry, Program Files folder name) pair plus the salt, repeated 10,000 times."
        reference = "Kaspersky, 'The Mystery of the Encrypted Gauss Payload'; pairs as published in lightswitch05/gaussCrack application/gaussCrack/hashthread.cpp"
        confidence = "medium"
        attack = "T1480.001, T1027"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $salt1 = { 97 48 6C AA 22 5F E8 77 C0 35 CC 03 73 23 6D 51 }
        $hash1 = { 75 8E A0 9A 14 7D CB CA D6 BD 55 8B E3 07 74 DE }
        $salt2 = { 6E E3 47 2C 06 A5 C8 59 BD 16 42 D1 D4 F5 BB 3E }
        $hash2 = { EB 2F 17 23 98 26 1E D9 4C 8D 05 21 66 50 91 9B }
        $salt3 = { 0E A5 01 D1 24 71 CD CD 0E 9E AC 6E 48 5A F9 32 }
        $hash3 = { 52 DD 4D 6B 79 2D 84 C4 22 E6 A0 8E 42 72 AC B8 }
        $salt4 = { C3 23 4D 51 5D 52 A5 8E 81 46 FA 8A 6D 93 DF 7D }
        $hash4 = { 53 B3 FA EA 53 CC 1B 90 AA 2C 5F CF 83 1E F9 E2 }
    condition:
        filesize < 20MB and
        (($salt1 and $hash1) or ($salt2 and $hash2) or ($salt3 and $hash3) or ($salt4 and $hash4))
}

rule Gauss_Palida_Narrow_Font
{
    meta:
        family = "Gauss"
        aliases = ""
        description = "A TrueType or OpenType font whose name table says 'Palida Narrow', the custom font Gauss installs."
        reference = "https://hackjacks.blogspot.com/2012/08/ (Gauss overview); Kaspersky Gauss whitepaper"
        confidence = "medium"
        attack = "T1480.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $name_a = "Palida Narrow" ascii
        // "Palida Narrow" in UTF-16BE, the Windows-platform encoding of the name table
        $name_be = { 00 50 00 61 00 6C 00 69 00 64 00 61 00 20 00 4E 00 61 00 72 00 72 00 6F 00 77 }
    condition:
        (uint32be(0) == 0x00010000 or uint32be(0) == 0x4F54544F or uint32be(0) == 0x74727565) and
        filesize < 5MB and ($name_a or $name_be)
}

rule Gauss_USB_Module_Artifacts
{
    meta:
        family = "Gauss"
        aliases = ""
        description = "A PE image naming at least three of the files Gauss's USB module leaves on a stick: System32.dat (32-bit payload), System32.bin (64-bit payload), .thumbs.db (hidden stolen-data store) and target.lnk (CVE-2010-2568 launcher)."
        reference = "https://www.securityweek.com/kaspersky-looks-help-deciphering-gauss-malware; https://tweakers.net/nieuws/83740/; Microsoft TrojanSpy:Win32/Gauss.plugin!G (roadwy/DefenderYara)"
        confidence = "medium"
        attack = "T1091, T1564.001, T1025"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $dat = "System32.dat" ascii wide
        $bin = "System32.bin" ascii wide
        $thumbs = ".thumbs.db" nocase ascii wide
        $lnk = "target.lnk" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and 3 of them
}

rule Gauss_Isvp4003ltr_Event
{
    meta:
        family = "Gauss"
        aliases = ""
        description = "The UTF-16 event name Isvp4003ltrEvent that Microsoft's Gauss signature keys on, in a PE image."
        reference = "Microsoft TrojanSpy:Win32/Gauss signatures (roadwy/DefenderYara TrojanSpy/Win32/Gauss)"
        confidence = "medium"
        attack = "T1091"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $event = "Isvp4003ltrEvent" wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and $event
}

rule Gauss_Lebanese_Bank_Targets
{
    meta:
        family = "Gauss"
        aliases = ""
        description = "A PE image naming, in domain style (blombank, byblosbank...), at least four of the Lebanese banks Gauss targeted: Bank of Beirut, EBLF, BlomBank, ByblosBank, FransaBank, Credit Libanais. That the module carries the names as text is inferred."
        reference = "Kaspersky Gauss FAQ (botnets.fr copy)"
        confidence = "low"
        attack = "T1005"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $b1 = "bankofbeirut" nocase ascii wide
        $b2 = "eblf" fullword nocase ascii wide
        $b3 = "blombank" nocase ascii wide
        $b4 = "byblosbank" nocase ascii wide
        $b5 = "fransabank" nocase ascii wide
        $b6 = "creditlibanais" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and 4 of them
}
