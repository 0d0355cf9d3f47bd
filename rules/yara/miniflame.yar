// miniFlame (SPE, John): the small backdoor that runs alone or as a plugin of Flame and Gauss.
// Written by Firebreak from the public facts in ../shared/intel/miniflame-and-relatives.md (section 1).
// No hash, mutex or export of miniFlame is public, so these rules key on the command names, the install path
// and the host markers; anything the facts call inferred carries confidence "low".

rule MiniFlame_SPE_CommandSet
{
    meta:
        family = "miniFlame"
        aliases = "SPE, John"
        description = "A PE image naming at least six of the eight longer miniFlame backdoor command names (ALEX, BARBARA, CHARLES, DRAKE, ELVIS, FIONA, SONIA, TIFFANY). EVE and SAM are left out: three-letter words are too weak to count."
        reference = "https://www.nbcnews.com/id/49419944 (TechNewsDaily); https://securelist.com/miniflame-aka-spe-elvis-and-his-friends-5/31730/"
        confidence = "medium"
        attack = "T1105, T1041, T1129, T1106, T1113"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $alex = "ALEX" fullword ascii wide
        $barbara = "BARBARA" fullword ascii wide
        $charles = "CHARLES" fullword ascii wide
        $drake = "DRAKE" fullword ascii wide
        $elvis = "ELVIS" fullword ascii wide
        $fiona = "FIONA" fullword ascii wide
        $sonia = "SONIA" fullword ascii wide
        $tiffany = "TIFFANY" fullword ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 4MB and 6 of them
}

rule MiniFlame_SPE_Commands_With_ClientProtocol
{
    meta:
        family = "miniFlame"
        aliases = "SPE, John"
        description = "miniFlame command names together with OldProtocolE, the protocol the Flame C&C server speaks to SPE clients; a PE or a PHP script (the server side was mostly PHP). That the names sit beside the protocol name in one file is inferred."
        reference = "https://securelist.com/miniflame-aka-spe-elvis-and-his-friends-5/31730/; https://www.itworld.com/security/303530; https://www.nbcnews.com/id/49419944"
        confidence = "low"
        attack = "T1071, T1105, T1041"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $proto = "OldProtocolE" fullword ascii wide
        $alex = "ALEX" fullword ascii wide
        $barbara = "BARBARA" fullword ascii wide
        $charles = "CHARLES" fullword ascii wide
        $drake = "DRAKE" fullword ascii wide
        $elvis = "ELVIS" fullword ascii wide
        $fiona = "FIONA" fullword ascii wide
        $sonia = "SONIA" fullword ascii wide
        $tiffany = "TIFFANY" fullword ascii wide
        // the PHP open tag, written with an escape so this rule file does not match itself
        $php = "<?ph\x70"
    condition:
        filesize < 4MB and (uint16(0) == 0x5A4D or $php in (0..1024)) and
        $proto and 4 of ($alex, $barbara, $charles, $drake, $elvis, $fiona, $sonia, $tiffany)
}

rule MiniFlame_Install_Path_icsvnt32
{
    meta:
        family = "miniFlame"
        aliases = "SPE, John"
        description = "A PE image holding %windir%\\system32\\icsvnt32.ocx, the value miniFlame writes as the default value of its registry key once it has installed."
        reference = "https://blog.talosintelligence.com/2012/12/triggering-miniflames-c-communication.html (quoting the Kaspersky report)"
        confidence = "medium"
        attack = "T1543.003, T1112"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $path = "%windir%\\system32\\icsvnt32.ocx" nocase ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 4MB and $path
}

rule MiniFlame_4x_Nla_ServiceDll_Trigger
{
    meta:
        family = "miniFlame"
        variant = "4.x"
        aliases = "SPE, John"
        description = "A PE image naming the Nla service's Parameters key and ServiceDll beside miniFlame command names. Talos saw 4.xx samples start C&C only once Nla\\Parameters\\ServiceDll pointed at the .ocx; that a sample carries the key path is inferred."
        reference = "https://blog.talosintelligence.com/2012/12/triggering-miniflames-c-communication.html"
        confidence = "low"
        attack = "T1543.003, T1112"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $key = "SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters" nocase ascii wide
        $value = "ServiceDll" nocase ascii wide
        $alex = "ALEX" fullword ascii wide
        $barbara = "BARBARA" fullword ascii wide
        $charles = "CHARLES" fullword ascii wide
        $drake = "DRAKE" fullword ascii wide
        $elvis = "ELVIS" fullword ascii wide
        $fiona = "FIONA" fullword ascii wide
        $sonia = "SONIA" fullword ascii wide
        $tiffany = "TIFFANY" fullword ascii wide
    condition:
        uint16(0) == 0x5A4D and filesize < 4MB and $key and $value and
        4 of ($alex, $barbara, $charles, $drake, $elvis, $fiona, $sonia, $tiffany)
}

rule MiniFlame_TimeZone_Bias_Host_Marker
{
    meta:
        family = "miniFlame"
        aliases = "SPE, John"
        description = "A registry hive or .reg export holding a TimeZoneInformation value named standarddatebias or standardtimebias, names Windows never creates. This is the Territorial Dispute host check; that it is miniFlame's is inferred."
        reference = "Shadow Brokers 'Territorial Dispute' leak; https://threatintel.eu/2018/03/10/ (miniFlame among the signatures)"
        confidence = "low"
        attack = "T1112"
        date = "2026-11-25"
        author = "Firebreak"
    strings:
        $key = "TimeZoneInformation" nocase ascii wide
        $date_bias = "standarddatebias" nocase ascii wide
        $time_bias = "standardtimebias" nocase ascii wide
        // .reg export headers (UTF-16LE version 5 and ASCII version 4), escaped so this file does not match itself
        $reg_w = "Windows Registry Edito\x72" wide
        $reg_a = "REGEDIT\x34" ascii
    condition:
        (uint32(0) == 0x66676572 or $reg_w in (0..16) or $reg_a in (0..16)) and
        $key and ($date_bias or $time_bias)
}
