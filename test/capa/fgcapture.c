/* Ground truth for "capture screen of a chosen application": checks which program owns the foreground window
   and copies the window into an in-memory bitmap only for the listed programs. Never run. */
#include <windows.h>
#include <string.h>

static const char *watched[] = {
    "chrome.exe", "firefox.exe", "iexplore.exe", "winword.exe", "excel.exe",
    "AcroRd32.exe", "skype.exe", "filezilla.exe", NULL
};

static int is_watched(const char *path)
{
    const char *base = strrchr(path, '\\');
    base = base ? base + 1 : path;
    for (int i = 0; watched[i]; i++)
        if (_stricmp(base, watched[i]) == 0)
            return 1;
    return 0;
}

static void copy_window(HWND window)
{
    RECT r;
    GetWindowRect(window, &r);
    HDC source = GetWindowDC(window);
    HDC memory = CreateCompatibleDC(source);
    HBITMAP bitmap = CreateCompatibleBitmap(source, r.right - r.left, r.bottom - r.top);
    HGDIOBJ old = SelectObject(memory, bitmap);
    BitBlt(memory, 0, 0, r.right - r.left, r.bottom - r.top, source, 0, 0, SRCCOPY);
    SelectObject(memory, old);
    DeleteObject(bitmap);
    DeleteDC(memory);
    ReleaseDC(window, source);
}

int main(void)
{
    char path[MAX_PATH];
    DWORD size = sizeof(path);
    DWORD pid = 0;
    HWND window = GetForegroundWindow();
    GetWindowThreadProcessId(window, &pid);
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process)
        return 1;
    if (QueryFullProcessImageNameA(process, 0, path, &size) && is_watched(path))
        copy_window(window);
    CloseHandle(process);
    return 0;
}
