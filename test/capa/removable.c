/* Ground truth for "removable drives": lists removable drives, and writes a hidden marker file to one. Never run. */
#include <windows.h>
#include <stdio.h>

static void mark_drive(const char *root)
{
    char path[MAX_PATH];
    DWORD written = 0;
    snprintf(path, sizeof(path), "%smarker.dat", root);
    HANDLE file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM, NULL);
    if (file == INVALID_HANDLE_VALUE)
        return;
    WriteFile(file, "marker", 6, &written, NULL);
    CloseHandle(file);
}

int main(void)
{
    char drives[256];
    DWORD length = GetLogicalDriveStringsA(sizeof(drives), drives);
    for (char *root = drives; root < drives + length && *root; root += strlen(root) + 1) {
        if (GetDriveTypeA(root) == DRIVE_REMOVABLE) {
            printf("removable: %s\n", root);
            mark_drive(root);
        }
    }
    return 0;
}
