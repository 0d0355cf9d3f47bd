/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL carrying the PDB path of Flame's indsvc32
 * component as data, for Flame_PDB_Jimmy_indsvc32. It does nothing. */

__attribute__((used)) static const char pdb_path[] =
    "C:\\Projects\\Jimmy\\jimmydll_v2.0\\JimmyForClan\\Jimmy\\bin\\srelease\\jimmydll\\indsvc32.pdb";

__declspec(dllexport) unsigned fixture_pdb_size(void) {
    return (unsigned)sizeof pdb_path;
}
