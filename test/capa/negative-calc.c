/* Negative ground truth: arithmetic and text output only; no capability rule of the bundled set should match. */
#include <stdio.h>
#include <stdlib.h>

static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int main(int argc, char **argv)
{
    long a = argc > 1 ? strtol(argv[1], NULL, 10) : 84;
    long b = argc > 2 ? strtol(argv[2], NULL, 10) : 36;
    printf("gcd(%ld, %ld) = %ld\n", a, b, gcd(a, b));
    return 0;
}
