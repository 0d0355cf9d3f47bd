/* Firebreak detection-pack fixture (benign, never run): a 32-bit program holding the unexplained string from
 * Microsoft's Flame signature as data, for Flame_Unexplained_Root_Login_String. It has no network code. */

__attribute__((used)) static const char login_string[] = "root@195.97.78.162 -P 443";

int main(void) {
    return (int)sizeof login_string;
}
