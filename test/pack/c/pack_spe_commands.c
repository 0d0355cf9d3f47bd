/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL whose only content is a table of the
 * miniFlame command names, so MiniFlame_SPE_CommandSet has ground truth. It does nothing. */
#include <wchar.h>

__attribute__((used)) static const char *const command_names[] = {
    "ALEX", "BARBARA", "CHARLES", "DRAKE", "ELVIS", "EVE", "FIONA", "SAM", "SONIA", "TIFFANY",
};
__attribute__((used)) static const wchar_t *const command_names_w[] = {
    L"ALEX", L"BARBARA", L"CHARLES", L"DRAKE", L"ELVIS", L"EVE", L"FIONA", L"SAM", L"SONIA", L"TIFFANY",
};

__declspec(dllexport) int fixture_command_count(void) {
    return (int)(sizeof command_names / sizeof command_names[0]) + (int)(sizeof command_names_w / sizeof command_names_w[0]);
}
