/* Firebreak detection-pack fixture (benign, never run): a 32-bit program holding Stuxnet's dropper marker string
 * as data, for Stuxnet_Dropper_Marker_String. It does nothing. */

__attribute__((used)) static const char marker[] = "SUCKM3 FROM EXPLORER.EXE MOTH4FUCKA #@!";

int main(void) {
    return (int)sizeof marker;
}
