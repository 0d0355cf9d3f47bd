/* Growable byte buffers for the platform library. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plat.h"

void plat_buf_init(plat_buf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

static int plat_buf_reserve(plat_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    plat_log(PLAT_ERROR, "plat_buf: cannot grow to %lu bytes", (unsigned long)cap);
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int plat_buf_append(plat_buf *b, const char *s, size_t n) {
  if (plat_buf_reserve(b, n) != 0) return -1;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int plat_buf_printf(plat_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return -1;
  if ((size_t)n >= sizeof tmp) n = (int)sizeof tmp - 1;
  return plat_buf_append(b, tmp, (size_t)n);
}

void plat_buf_free(plat_buf *b) {
  free(b->data);
  plat_buf_init(b);
}
