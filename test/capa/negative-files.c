/* Negative ground truth: reads one named file and counts its lines; no collection, network or persistence. */
#include <stdio.h>

int main(int argc, char **argv)
{
    FILE *f = fopen(argc > 1 ? argv[1] : "input.txt", "r");
    if (!f)
        return 1;
    int c, lines = 0;
    while ((c = fgetc(f)) != EOF)
        if (c == '\n')
            lines++;
    fclose(f);
    printf("%d lines\n", lines);
    return 0;
}
