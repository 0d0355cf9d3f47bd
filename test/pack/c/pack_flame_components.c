/* Firebreak detection-pack fixture (benign, never run): a 32-bit program holding the names of Flame's component
 * files and Common Files folders as data, for Flame_Component_File_Set. It touches no file. */
#include <wchar.h>

__attribute__((used)) static const wchar_t *const component_names[] = {
    L"advnetcfg.ocx", L"boot32drv.sys", L"ccalc32.sys", L"soapr32.ocx", L"watchxb.sys", L"rpcnc.dat",
    L"Common Files\\Microsoft Shared\\MSSecurityMgr", L"Common Files\\Microsoft Shared\\MSAuthCtrl",
};

int main(void) {
    return (int)(sizeof component_names / sizeof component_names[0]);
}
