/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding Duqu's driver and PNF file names as
 * data, for Duqu_Driver_And_Config_File_Names. It touches no file. */

__attribute__((used)) static const char *const file_names[] = {
    "jminet7.sys", "cmi4432.sys", "nfred965.sys", "iddr022.pnf",
};

__declspec(dllexport) int fixture_name_count(void) {
    return (int)(sizeof file_names / sizeof file_names[0]);
}
