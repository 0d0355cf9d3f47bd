/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the configuration fields of the Duqu
 * variant TROJ_DUQU.CF as data, for Duqu_ALiIDE_Variant_Config. It installs and injects nothing. */
#include <wchar.h>

__attribute__((used)) static const wchar_t *const config_fields[] = {
    L"ALiIDE", L"allide1.sys", L"iddr021.pnf", L"pccntmon.exe",
};

__declspec(dllexport) int fixture_field_count(void) {
    return (int)(sizeof config_fields / sizeof config_fields[0]);
}
