/* Firebreak detection-pack fixture (benign, never run): a 32-bit DLL carrying the PDB path of Gauss's main module
 * winshell.ocx as data, for Gauss_PDB_winshell. It does nothing. */

__attribute__((used)) static const char pdb_path[] = "d:\\projects\\gauss\\bin\\release\\winshell.pdb";

__declspec(dllexport) unsigned fixture_pdb_size(void) {
    return (unsigned)sizeof pdb_path;
}
