/* Ground truth for "find files by extension": lists document files under a folder. Never run. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static const char *extensions[] = { ".doc", ".docx", ".xls", ".xlsx", ".pdf", ".txt", NULL };

static int wanted(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    for (int i = 0; extensions[i]; i++)
        if (_stricmp(dot, extensions[i]) == 0)
            return 1;
    return 0;
}

static void list_folder(const char *folder, int depth)
{
    char pattern[MAX_PATH];
    WIN32_FIND_DATAA found;
    snprintf(pattern, sizeof(pattern), "%s\\*", folder);
    HANDLE h = FindFirstFileA(pattern, &found);
    if (h == INVALID_HANDLE_VALUE)
        return;
    do {
        if (strcmp(found.cFileName, ".") == 0 || strcmp(found.cFileName, "..") == 0)
            continue;
        char path[MAX_PATH];
        snprintf(path, sizeof(path), "%s\\%s", folder, found.cFileName);
        if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
            if (depth < 4)
                list_folder(path, depth + 1);
        } else if (wanted(found.cFileName)) {
            printf("%s\n", path);
        }
    } while (FindNextFileA(h, &found));
    FindClose(h);
}

int main(int argc, char **argv)
{
    list_folder(argc > 1 ? argv[1] : ".", 0);
    return 0;
}
