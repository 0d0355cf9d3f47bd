/* String helpers for the platform library. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "plat.h"

char *plat_trim(char *s) {
  while (*s && isspace((unsigned char)*s)) s++;
  char *end = s + strlen(s);
  while (end > s && isspace((unsigned char)end[-1])) *--end = '\0';
  return s;
}

char *plat_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p) {
    plat_log(PLAT_ERROR, "plat_strdup: out of memory (%lu bytes)", (unsigned long)n);
    return NULL;
  }
  memcpy(p, s, n);
  return p;
}

void plat_lower(char *s) {
  for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

int plat_split(char *s, char sep, char **fields, int max) {
  int n = 0;
  while (n < max) {
    fields[n++] = s;
    char *p = strchr(s, sep);
    if (!p) break;
    *p = '\0';
    s = p + 1;
  }
  return n;
}
