/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the names Gauss's USB module leaves
 * on a stick, as data, for Gauss_USB_Module_Artifacts. It touches no drive. */
#include <wchar.h>

__attribute__((used)) static const wchar_t *const stick_names[] = {
    L"System32.dat", L"System32.bin", L".thumbs.db", L"target.lnk",
};

__declspec(dllexport) int fixture_name_count(void) {
    return (int)(sizeof stick_names / sizeof stick_names[0]);
}
