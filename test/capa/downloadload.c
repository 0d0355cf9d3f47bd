/* Ground truth for "write a module to disk and load it": saves a buffer as a DLL file, then loads it. Never run. */
#include <windows.h>

int save_and_load(const char *path, const void *data, DWORD size)
{
    DWORD written = 0;
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return 0;
    WriteFile(file, data, size, &written, NULL);
    CloseHandle(file);
    if (written != size)
        return 0;
    HMODULE module = LoadLibraryA(path);
    if (!module)
        return 0;
    FARPROC start = GetProcAddress(module, "Start");
    if (start)
        start();
    return 1;
}

int main(int argc, char **argv)
{
    static const unsigned char empty[64] = { 'M', 'Z' };
    return save_and_load(argc > 1 ? argv[1] : "module.dll", empty, sizeof(empty)) ? 0 : 1;
}
