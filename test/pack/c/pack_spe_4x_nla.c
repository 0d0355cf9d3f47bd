/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL naming the Nla service's Parameters key and
 * ServiceDll beside four miniFlame command names, for MiniFlame_4x_Nla_ServiceDll_Trigger. It opens no key. */
#include <wchar.h>

__attribute__((used)) static const wchar_t nla_key[] = L"SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters";
__attribute__((used)) static const wchar_t nla_value[] = L"ServiceDll";
__attribute__((used)) static const char *const command_names[] = { "BARBARA", "CHARLES", "FIONA", "SONIA" };

__declspec(dllexport) unsigned fixture_sizes(void) {
    return (unsigned)(wcslen(nla_key) + wcslen(nla_value) + sizeof command_names / sizeof command_names[0]);
}
