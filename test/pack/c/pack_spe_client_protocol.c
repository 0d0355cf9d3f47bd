/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL naming four miniFlame command names beside
 * the protocol name OldProtocolE, for MiniFlame_SPE_Commands_With_ClientProtocol. It does nothing. */

__attribute__((used)) static const char *const client_table[] = {
    "SPE", "OldProtocolE", "ALEX", "DRAKE", "ELVIS", "TIFFANY",
};

__declspec(dllexport) int fixture_table_size(void) {
    return (int)(sizeof client_table / sizeof client_table[0]);
}
