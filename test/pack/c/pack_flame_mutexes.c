/* Firebreak detection-pack fixture (benign, never run): a 32-bit program holding Flame's mutex and event name
 * format strings as plain data, for Flame_Mutex_Format_Strings. It creates no object. */
#include <wchar.h>

__attribute__((used)) static const wchar_t *const object_names[] = {
    L"TH_POOL_SHD_MTX_FSW95XQ_%d",
    L"TH_POOL_SHD_PQOISNG_%dSYNCMTX",
    L"TH_POOL_SHD_MTX_GMN94XQ_%d",
    L"TH_POOL_SHD_PQOMGMN_%dSYNCMTX",
    L"UPDT_SYNC_MTX_TME_ON_OFF_%d_%d",
    L"Global\\JcvEvent3",
};

int main(void) {
    return (int)(sizeof object_names / sizeof object_names[0]);
}
