/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding names of files Stuxnet drops, as
 * data, for Stuxnet_Dropped_File_Names. It touches no file. */
#include <wchar.h>

__attribute__((used)) static const wchar_t *const dropped_names[] = {
    L"oem7A.PNF", L"mdmcpq3.PNF", L"~WTR4141.tmp", L"s7otbxsx.dll",
};

__declspec(dllexport) int fixture_name_count(void) {
    return (int)(sizeof dropped_names / sizeof dropped_names[0]);
}
