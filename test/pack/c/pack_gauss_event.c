/* Firebreak detection-pack fixture (benign, never run): a 32-bit program holding the UTF-16 event name of Gauss's
 * plugin as data, for Gauss_Isvp4003ltr_Event. It creates no event. */
#include <wchar.h>

__attribute__((used)) static const wchar_t event_name[] = L"Isvp4003ltrEvent";

int main(void) {
    return (int)wcslen(event_name);
}
