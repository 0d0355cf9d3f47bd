/* A benign test program for the PE parser (never run): TLS callbacks, imports by ordinal from ws2_32 and oleaut32,
   a delay-loaded import, and a version resource (features.rc). Each import is only referenced, never chained. */
#include <windows.h>

/* Declared here as plain cdecl functions so the .def files in this folder can name them without decorations; the
   import libraries built from those files bind them by ordinal (ws2_32, oleaut32) or by name, delay-loaded (shlwapi). */
__declspec(dllimport) int fb_ws_closesocket(void);
__declspec(dllimport) int fb_ws_socket(void);
__declspec(dllimport) int fb_ws_wsastartup(void);
__declspec(dllimport) int fb_ws_unknown(void);
__declspec(dllimport) int fb_ole_sysallocstring(void);
__declspec(dllimport) int fb_ole_variantinit(void);
__declspec(dllimport) int PathFileExistsA(const char *path);
__declspec(dllimport) int PathIsRelativeA(const char *path);

static volatile int tls_hits;

static void NTAPI tls_first(PVOID module, DWORD reason, PVOID reserved) {
  (void)module;
  (void)reserved;
  tls_hits += (int)reason;
}

static void NTAPI tls_second(PVOID module, DWORD reason, PVOID reserved) {
  (void)module;
  (void)reserved;
  tls_hits -= (int)reason;
}

/* MinGW's CRT gathers callbacks placed between .CRT$XLA and .CRT$XLZ into the TLS directory's callback array. */
__attribute__((used, section(".CRT$XLB"))) PIMAGE_TLS_CALLBACK fb_tls_first = tls_first;
__attribute__((used, section(".CRT$XLC"))) PIMAGE_TLS_CALLBACK fb_tls_second = tls_second;

int main(int argc, char **argv) {
  (void)argv;
  if (argc > 100) {
    return fb_ws_closesocket() + fb_ws_socket() + fb_ws_wsastartup() + fb_ws_unknown() + fb_ole_sysallocstring() +
           fb_ole_variantinit() + PathFileExistsA("a") + PathIsRelativeA("b");
  }
  return tls_hits;
}
