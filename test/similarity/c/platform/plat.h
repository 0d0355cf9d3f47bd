/* A small shared utility library ("platform"): buffers, a string map, logging, files and strings.
 * Two of the synthetic families (iniconf, csvstat) link it, as real families share a code platform. */
#ifndef PLAT_H
#define PLAT_H
#include <stddef.h>

typedef struct {
  char *data;
  size_t len;
  size_t cap;
} plat_buf;

void plat_buf_init(plat_buf *b);
int plat_buf_append(plat_buf *b, const char *s, size_t n);
int plat_buf_printf(plat_buf *b, const char *fmt, ...);
void plat_buf_free(plat_buf *b);

typedef struct plat_entry {
  char *key;
  char *value;
  struct plat_entry *next;
} plat_entry;

typedef struct {
  plat_entry **slots;
  size_t nslots;
  size_t count;
} plat_map;

int plat_map_init(plat_map *m, size_t nslots);
int plat_map_put(plat_map *m, const char *key, const char *value);
const char *plat_map_get(const plat_map *m, const char *key);
void plat_map_each(const plat_map *m, void (*fn)(const char *, const char *, void *), void *arg);
void plat_map_free(plat_map *m);

enum { PLAT_TRACE, PLAT_DEBUG, PLAT_INFO, PLAT_WARN, PLAT_ERROR };
void plat_log_level(int level);
void plat_log(int level, const char *fmt, ...);

int plat_read_file(const char *path, plat_buf *out);
char *plat_next_line(char **cursor);

char *plat_trim(char *s);
char *plat_strdup(const char *s);
void plat_lower(char *s);
int plat_split(char *s, char sep, char **fields, int max);
#endif
