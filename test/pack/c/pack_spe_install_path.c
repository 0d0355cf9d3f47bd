/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the path miniFlame writes as the
 * default value of its registry key, for MiniFlame_Install_Path_icsvnt32. It writes nothing anywhere. */
#include <wchar.h>

__attribute__((used)) static const wchar_t install_path[] = L"%windir%\\system32\\icsvnt32.ocx";

__declspec(dllexport) unsigned fixture_path_length(void) {
    return (unsigned)wcslen(install_path);
}
