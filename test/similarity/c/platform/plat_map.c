/* A chained string-to-string hash map (FNV-1a) for the platform library. */
#include <stdlib.h>
#include <string.h>
#include "plat.h"

static unsigned long plat_hash(const char *s) {
  unsigned long h = 2166136261UL;
  while (*s) {
    h ^= (unsigned char)*s++;
    h *= 16777619UL;
  }
  return h;
}

int plat_map_init(plat_map *m, size_t nslots) {
  m->slots = calloc(nslots, sizeof *m->slots);
  m->nslots = nslots;
  m->count = 0;
  if (!m->slots) {
    plat_log(PLAT_ERROR, "plat_map: out of memory for %lu slots", (unsigned long)nslots);
    return -1;
  }
  return 0;
}

int plat_map_put(plat_map *m, const char *key, const char *value) {
  size_t i = plat_hash(key) % m->nslots;
  for (plat_entry *e = m->slots[i]; e; e = e->next) {
    if (strcmp(e->key, key) == 0) {
      char *v = plat_strdup(value);
      if (!v) return -1;
      free(e->value);
      e->value = v;
      plat_log(PLAT_DEBUG, "plat_map: replaced key '%s'", key);
      return 0;
    }
  }
  plat_entry *e = malloc(sizeof *e);
  if (!e) return -1;
  e->key = plat_strdup(key);
  e->value = plat_strdup(value);
  e->next = m->slots[i];
  m->slots[i] = e;
  m->count++;
  return 0;
}

const char *plat_map_get(const plat_map *m, const char *key) {
  size_t i = plat_hash(key) % m->nslots;
  for (plat_entry *e = m->slots[i]; e; e = e->next)
    if (strcmp(e->key, key) == 0) return e->value;
  return NULL;
}

void plat_map_each(const plat_map *m, void (*fn)(const char *, const char *, void *), void *arg) {
  for (size_t i = 0; i < m->nslots; i++)
    for (plat_entry *e = m->slots[i]; e; e = e->next) fn(e->key, e->value, arg);
}

void plat_map_free(plat_map *m) {
  for (size_t i = 0; i < m->nslots; i++) {
    plat_entry *e = m->slots[i];
    while (e) {
      plat_entry *next = e->next;
      free(e->key);
      free(e->value);
      free(e);
      e = next;
    }
  }
  free(m->slots);
  m->slots = NULL;
  m->count = 0;
}
