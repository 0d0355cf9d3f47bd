/* Whole-file reading and line iteration for the platform library. */
#include <stdio.h>
#include <string.h>
#include "plat.h"

int plat_read_file(const char *path, plat_buf *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    plat_log(PLAT_WARN, "plat_read_file: cannot open '%s'", path);
    return -1;
  }
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (plat_buf_append(out, chunk, n) != 0) {
      fclose(f);
      return -1;
    }
  }
  int err = ferror(f);
  fclose(f);
  if (err) plat_log(PLAT_WARN, "plat_read_file: read error on '%s'", path);
  plat_log(PLAT_TRACE, "plat_read_file: %lu bytes from '%s'", (unsigned long)out->len, path);
  return err ? -1 : 0;
}

char *plat_next_line(char **cursor) {
  char *s = *cursor;
  if (!s || !*s) return NULL;
  char *nl = strchr(s, '\n');
  if (nl) {
    *nl = '\0';
    if (nl > s && nl[-1] == '\r') nl[-1] = '\0';
    *cursor = nl + 1;
  } else {
    *cursor = s + strlen(s);
  }
  return s;
}
