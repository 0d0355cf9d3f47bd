/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding both Stuxnet C&C domain names as
 * data, for Stuxnet_CnC_Football_Domains. It has no network code. */

__attribute__((used)) static const char *const cnc_domains[] = { "www.mypremierfutbol.com", "www.todaysfutbol.com" };

__declspec(dllexport) int fixture_domain_count(void) {
    return (int)(sizeof cnc_domains / sizeof cnc_domains[0]);
}
