/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the domain-style names of the
 * Lebanese banks Gauss targeted, for Gauss_Lebanese_Bank_Targets. It contacts nothing. */

__attribute__((used)) static const char *const bank_names[] = {
    "www.blombank.com", "www.byblosbank.com", "www.fransabank.com", "www.bankofbeirut.com",
};

__declspec(dllexport) int fixture_bank_count(void) {
    return (int)(sizeof bank_names / sizeof bank_names[0]);
}
