/* Ground truth for "HTTP(S) request and response": posts a small body and reads the reply with WinINet. Never run. */
#include <windows.h>
#include <wininet.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char reply[4096];
    DWORD got = 0;
    const char *body = "status=ok";
    HINTERNET session = InternetOpenA("Mozilla/5.0 (compatible)", INTERNET_OPEN_TYPE_PRECONFIG, NULL, NULL, 0);
    if (!session)
        return 1;
    HINTERNET connection = InternetConnectA(session, "example.com", INTERNET_DEFAULT_HTTPS_PORT, NULL, NULL,
                                            INTERNET_SERVICE_HTTP, 0, 0);
    HINTERNET request = HttpOpenRequestA(connection, "POST", "/api/status", NULL, NULL, NULL,
                                         INTERNET_FLAG_SECURE | INTERNET_FLAG_RELOAD, 0);
    const char *headers = "Content-Type: application/x-www-form-urlencoded\r\n";
    if (HttpSendRequestA(request, headers, (DWORD)strlen(headers), (LPVOID)body, (DWORD)strlen(body))) {
        while (InternetReadFile(request, reply, sizeof(reply) - 1, &got) && got > 0) {
            reply[got] = 0;
            fputs(reply, stdout);
        }
    }
    InternetCloseHandle(request);
    InternetCloseHandle(connection);
    InternetCloseHandle(session);
    return 0;
}
