/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding one of Duqu's C&C host names and the
 * name of the JPEG it uploads, as data, for Duqu_CnC_JPEG_Upload. It has no network code. */

__attribute__((used)) static const char *const cnc_fields[] = { "kasperskychk.dyndns.org", "dsc00001.jpg" };

__declspec(dllexport) int fixture_field_count(void) {
    return (int)(sizeof cnc_fields / sizeof cnc_fields[0]);
}
