/* A benign test DLL for the PE parser (never run): named exports, an export by ordinal only, a data export and a
   forwarder, all declared in exports.def. */
int fb_value = 42;

int fb_add(int a, int b) { return a + b; }

int fb_mul(int a, int b) { return a * b; }

int fb_hidden(int a) { return a ^ 0x5a; }

int fb_alias_target(void) { return fb_value; }
