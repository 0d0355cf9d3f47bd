/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the first published salt and target
 * MD5 of Gauss's Godel payload as raw bytes, for Gauss_Godel_Salt_And_Hash. It decrypts nothing. */

__attribute__((used)) static const unsigned char godel_salt[16] = {
    0x97, 0x48, 0x6C, 0xAA, 0x22, 0x5F, 0xE8, 0x77, 0xC0, 0x35, 0xCC, 0x03, 0x73, 0x23, 0x6D, 0x51,
};
__attribute__((used)) static const unsigned char godel_target_md5[16] = {
    0x75, 0x8E, 0xA0, 0x9A, 0x14, 0x7D, 0xCB, 0xCA, 0xD6, 0xBD, 0x55, 0x8B, 0xE3, 0x07, 0x74, 0xDE,
};

__declspec(dllexport) int fixture_first_bytes(void) {
    return godel_salt[0] + godel_target_md5[0];
}
