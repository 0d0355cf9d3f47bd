/* Firebreak detection-pack fixture (benign, never run): a 32-bit native-subsystem image holding Duqu's driver
 * device name as data, for Duqu_GpdDev_Device_Name. Its entry point only returns a failure status, so even a
 * loader that tried would get nothing. */
#include <wchar.h>

__attribute__((used)) static const wchar_t device_name[] = L"\\DosDevices\\GpdDev";

long __stdcall DriverEntry(void *driver_object, void *registry_path) {
    (void)driver_object;
    (void)registry_path;
    return (long)0xC0000001L + (long)(sizeof device_name * 0); /* STATUS_UNSUCCESSFUL */
}
