/* Ground truth for "service DLL registration": writes the ServiceDll value of the Nla service's Parameters key,
   the registry change a service-DLL install makes. Never run. */
#include <windows.h>
#include <string.h>

int main(int argc, char **argv)
{
    HKEY key;
    const char *dll = argc > 1 ? argv[1] : "C:\\Windows\\System32\\example.dll";
    LONG status = RegCreateKeyExA(HKEY_LOCAL_MACHINE, "SYSTEM\\CurrentControlSet\\Services\\Nla\\Parameters", 0, NULL,
                                  REG_OPTION_NON_VOLATILE, KEY_SET_VALUE, NULL, &key, NULL);
    if (status != ERROR_SUCCESS)
        return 1;
    status = RegSetValueExA(key, "ServiceDll", 0, REG_EXPAND_SZ, (const BYTE *)dll, (DWORD)strlen(dll) + 1);
    RegCloseKey(key);
    return status == ERROR_SUCCESS ? 0 : 1;
}
