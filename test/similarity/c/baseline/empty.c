/* The smallest program: what MinGW's start-up code and runtime alone put in a file (the common-code baseline). */
int main(void) { return 0; }
