/* Ground truth for "single instance via a mutex": exits when another instance holds the named mutex. Never run. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    HANDLE mutex = CreateMutexA(NULL, TRUE, "Global\\ExampleSingleInstance");
    if (mutex == NULL || GetLastError() == ERROR_ALREADY_EXISTS) {
        puts("already running");
        return 1;
    }
    puts("running");
    Sleep(1000);
    ReleaseMutex(mutex);
    CloseHandle(mutex);
    return 0;
}
