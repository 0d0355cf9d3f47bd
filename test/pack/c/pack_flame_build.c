/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL holding the build string of Flame's
 * mssecmgr.ocx, for Flame_mssecmgr_Build_String. It does nothing. */

__attribute__((used)) static const char build_string[] = "Unidentified build, Aug 31 2011 23:15:32";

__declspec(dllexport) unsigned fixture_build_size(void) {
    return (unsigned)sizeof build_string;
}
