// Stuxnet: the 2009-2010 sabotage worm against Siemens S7 systems, of the same origin as Duqu, Flame and Gauss.
// Written by Firebreak from the public facts in ../shared/intel/miniflame-and-relatives.md (section 2, Stuxnet).

rule Stuxnet_Dropper_Marker_String
{
    meta:
        family = "Stuxnet"
        aliases = ""
        description = "The marker string 'SUCKM3 FROM EXPLORER.EXE MOTH4FUCKA #@!' in a PE image."
        reference = "Neo23x0/signature-base yara/apt_stuxnet.yar (the string, as a fact)"
        confidence = "high"
        attack = "T1091, T1055.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $marker = "SUCKM3 FROM EXPLORER.EXE MOTH4FUCKA #@!" ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and $marker
}

rule Stuxnet_Driver_guava_PDB
{
    meta:
        family = "Stuxnet"
        aliases = ""
        description = "A PE image with the PDB name guava.pdb that also names its own driver file, MRxCls.sys or MRxNet.sys: Stuxnet's rootkit and loader drivers."
        reference = "Neo23x0/signature-base yara/apt_stuxnet.yar (the strings, as facts); signature-base iocs/filename-iocs.txt"
        confidence = "medium"
        attack = "T1014, T1543.003"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $pdb = "\\guava.pdb" nocase ascii
        $mrxcls = "mrxcls.sys" nocase ascii wide
        $mrxnet = "mrxnet.sys" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 2MB and $pdb and ($mrxcls or $mrxnet)
}

rule Stuxnet_Dropped_File_Names
{
    meta:
        family = "Stuxnet"
        aliases = ""
        description = "A PE image naming at least three of the files Stuxnet drops: oem6C.PNF, oem7A.PNF, mdmcpq3.PNF, mdmeric3.PNF, ~WTR4141.tmp, ~WTR4132.tmp, s7otbxsx.dll and 'Copy of Shortcut to.lnk'."
        reference = "Neo23x0/signature-base iocs/filename-iocs.txt (the names, as facts); NSA Territorial Dispute check (JarryShaw/broapt APT/StuxNet.yar)"
        confidence = "medium"
        attack = "T1091, T1027.013"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $p1 = "oem6C.PNF" nocase ascii wide
        $p2 = "oem7A.PNF" nocase ascii wide
        $p3 = "mdmcpq3.PNF" nocase ascii wide
        $p4 = "mdmeric3.PNF" nocase ascii wide
        $t1 = "~WTR4141.tmp" nocase ascii wide
        $t2 = "~WTR4132.tmp" nocase ascii wide
        $s7 = "s7otbxsx.dll" nocase ascii wide
        $lnk = "Copy of Shortcut to.lnk" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and 3 of them
}

rule Stuxnet_CnC_Football_Domains
{
    meta:
        family = "Stuxnet"
        aliases = ""
        description = "A PE image naming both Stuxnet C&C domains, mypremierfutbol.com and todaysfutbol.com."
        reference = "globaldefence.net, citing Reuters and Krebs"
        confidence = "medium"
        attack = "T1071.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $d1 = "mypremierfutbol.com" nocase ascii wide
        $d2 = "todaysfutbol.com" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and $d1 and $d2
}
