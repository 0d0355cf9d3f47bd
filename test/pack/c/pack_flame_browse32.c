/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL with the two export names of Flame's
 * self-delete module and the names on its wipe list, for Flame_browse32_Suicide_Module. Both exports return 0
 * and touch no file. */

__attribute__((used)) static const char *const listed_names[] = {
    "mssecmgr.ocx", "advnetcfg.ocx", "msglu32.ocx", "nteps32.ocx",
};

__declspec(dllexport) int EnableBrowser(void) { return 0; }
__declspec(dllexport) int StartBrowse(void) { return (int)(sizeof listed_names / sizeof listed_names[0]) * 0; }
