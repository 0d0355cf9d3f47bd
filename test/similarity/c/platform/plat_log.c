/* Levelled logging to stderr for the platform library. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "plat.h"

static int plat_min_level = PLAT_INFO;
static const char *const plat_level_names[] = {"trace", "debug", "info", "warn", "error"};

void plat_log_level(int level) {
  if (level < PLAT_TRACE) level = PLAT_TRACE;
  if (level > PLAT_ERROR) level = PLAT_ERROR;
  plat_min_level = level;
}

void plat_log(int level, const char *fmt, ...) {
  if (level < plat_min_level) return;
  char stamp[32];
  time_t now = time(NULL);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", gmtime(&now));
  fprintf(stderr, "%s [plat:%s] ", stamp, plat_level_names[level]);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}
