/* A program using common C library calls, so the runtime code they pull in joins the common-code baseline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  char *copy = malloc(64);
  if (!copy) return 1;
  snprintf(copy, 64, "%s:%d", argc > 0 ? argv[0] : "", argc);
  FILE *f = fopen(copy, "rb");
  if (f) {
    char line[128];
    while (fgets(line, sizeof line, f)) fputs(line, stdout);
    fclose(f);
  }
  printf("%lu %g\n", (unsigned long)strlen(copy), strtod("1.5", NULL));
  free(copy);
  return 0;
}
