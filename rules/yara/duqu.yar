// Duqu (2011): the espionage toolkit of the same origin as Stuxnet and Flame.
// Written by Firebreak from the public facts in ../shared/intel/miniflame-and-relatives.md (section 2, Duqu).

rule Duqu_GpdDev_Device_Name
{
    meta:
        family = "Duqu"
        variant = "1.0 (2011)"
        aliases = ""
        description = "The device name \\DosDevices\\GpdDev (UTF-16LE) of Duqu's kernel driver, in a PE image."
        reference = "F-Secure Duqu descriptions; https://wikimili.com/en/Duqu"
        confidence = "medium"
        attack = "T1543.003, T1055.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $device = "\\DosDevices\\GpdDev" wide
    condition:
        uint16(0) == 0x5A4D and filesize < 2MB and $device
}

rule Duqu_Driver_And_Config_File_Names
{
    meta:
        family = "Duqu"
        variant = "1.0 (2011)"
        aliases = ""
        description = "A PE image naming at least three of Duqu's driver and configuration file names (jminet7.sys, cmi4432.sys, nfred965.sys, nred961.sys, adpu321.sys, iaStor451.sys, allide1.sys, iddr021.pnf, iddr022.pnf)."
        reference = "Duqu Trojan Questions and Answers (auto-generated rule Duqu_Trojan_Questions_and_Answers, public copy); Trend Micro TROJ_DUQU.CF"
        confidence = "medium"
        attack = "T1543.003"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $d1 = "jminet7.sys" nocase ascii wide
        $d2 = "cmi4432.sys" nocase ascii wide
        $d3 = "nfred965.sys" nocase ascii wide
        $d4 = "nred961.sys" nocase ascii wide
        $d5 = "adpu321.sys" nocase ascii wide
        $d6 = "iaStor451.sys" nocase ascii wide
        $d7 = "allide1.sys" nocase ascii wide
        $p1 = "iddr021.pnf" nocase ascii wide
        $p2 = "iddr022.pnf" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and 3 of them
}

rule Duqu_ALiIDE_Variant_Config
{
    meta:
        family = "Duqu"
        variant = "TROJ_DUQU.CF (ALiIDE service)"
        aliases = ""
        description = "A PE image holding the configuration of the Duqu variant Trend Micro calls TROJ_DUQU.CF: service ALiIDE, driver allide1.sys, a PNF file iddr021.pnf or iddr022.pnf, and its injection target pccntmon.exe."
        reference = "Trend Micro, TROJ_DUQU.CF threat encyclopedia entry"
        confidence = "medium"
        attack = "T1543.003, T1055.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $service = "ALiIDE" fullword ascii wide
        $driver = "allide1.sys" nocase ascii wide
        $pnf1 = "iddr021.pnf" nocase ascii wide
        $pnf2 = "iddr022.pnf" nocase ascii wide
        $target = "pccntmon.exe" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and $service and $driver and ($pnf1 or $pnf2) and $target
}

rule Duqu_CnC_JPEG_Upload
{
    meta:
        family = "Duqu"
        variant = "1.0 (2011)"
        aliases = ""
        description = "A PE image naming one of Duqu's C&C hosts (206.183.111.97, canoyragomez.rapidns.com, kasperskychk.dyndns.org) together with dsc00001.jpg, the JPEG it uploads with AES-encrypted data appended. That the host and file name sit in clear in one file is inferred."
        reference = "https://blog.f-secure.jp/archives/50634357.html; Duqu Trojan Questions and Answers (public copy)"
        confidence = "low"
        attack = "T1071, T1001.002, T1573.001"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $ip = "206.183.111.97" ascii wide
        $host1 = "canoyragomez.rapidns.com" nocase ascii wide
        $host2 = "kasperskychk.dyndns.org" nocase ascii wide
        $jpeg = "dsc00001.jpg" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 5MB and $jpeg and ($ip or $host1 or $host2)
}
