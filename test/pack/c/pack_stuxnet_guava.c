/* Firebreak detection-pack fixture (benign, never run): a 32-bit native-subsystem image holding a guava.pdb PDB
 * name and the driver's own file name, for Stuxnet_Driver_guava_PDB. Its entry point only returns a failure
 * status. */
#include <wchar.h>

__attribute__((used)) static const char pdb_path[] = "c:\\firebreak\\fixture\\guava.pdb";
__attribute__((used)) static const wchar_t driver_name[] = L"MRxNet.sys";

long __stdcall DriverEntry(void *driver_object, void *registry_path) {
    (void)driver_object;
    (void)registry_path;
    return (long)0xC0000001L + (long)((sizeof pdb_path + sizeof driver_name) * 0); /* STATUS_UNSUCCESSFUL */
}
