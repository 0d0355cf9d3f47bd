/* A benign test program (never run): creates one TCP socket through ws2_32's socket, imported by ordinal 23 alone
   (linked against test/pe/programs/ws2_32.def), so rules written as `api: ws2_32.#23` have ground truth. */

/* A plain cdecl declaration the .def names without decoration; the import library binds it to ws2_32 ordinal 23. */
__declspec(dllimport) int fb_ws_socket(int af, int type, int protocol);

int main(void) {
  /* AF_INET, SOCK_STREAM, IPPROTO_TCP */
  return fb_ws_socket(2, 1, 6) < 0;
}
