/* csvstat: reads CSV files and summarises their columns (synthetic family "csvstat", a data-processing utility
 * built on the shared platform library).
 * Variants add features: CS_NUMERIC computes min, max and mean of numeric columns, CS_MEDIAN adds the median and
 * quartiles (sorting each column) and a group-by count of the first column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../platform/plat.h"

#define CS_MAX_COLS 64

typedef struct {
  char name[64];
  unsigned long filled, empty;
#ifdef CS_NUMERIC
  unsigned long numeric;
  double min, max, sum;
#endif
#ifdef CS_MEDIAN
  double *values;
  unsigned long nvalues, cap;
#endif
} cs_column;

static cs_column cs_cols[CS_MAX_COLS];
static int cs_ncols;
static unsigned long cs_rows;

typedef struct {
  char delim;
  int no_header;
  int types;
  int column;
  int quiet;
} cs_options;

static cs_options cs_opt = {',', 0, 0, -1, 0};

enum { CS_EMPTY, CS_INT, CS_FLOAT, CS_TEXT };
static const char *const cs_type_names[] = {"empty", "integer", "decimal", "text"};
static int cs_type[CS_MAX_COLS];
static size_t cs_width[CS_MAX_COLS];

/* Splits one CSV record in place, honouring double quotes ("" inside quotes is a quote). */
static int cs_fields(char *line, char **out, int max) {
  int n = 0;
  char *p = line;
  while (n < max) {
    char *start = p, *w = p;
    if (*p == '"') {
      p++;
      start = w = p;
      while (*p) {
        if (p[0] == '"' && p[1] == '"') {
          *w++ = '"';
          p += 2;
        } else if (*p == '"') {
          p++;
          break;
        } else {
          *w++ = *p++;
        }
      }
      while (*p && *p != cs_opt.delim) p++;
    } else {
      while (*p && *p != cs_opt.delim) *w++ = *p++;
    }
    char sep = *p;
    *w = '\0';
    out[n++] = start;
    if (sep != cs_opt.delim) break;
    p++;
  }
  return n;
}

#ifdef CS_MEDIAN
static plat_map cs_groups;

static void cs_keep(cs_column *c, double v) {
  if (c->nvalues == c->cap) {
    unsigned long cap = c->cap ? c->cap * 2 : 64;
    double *p = realloc(c->values, cap * sizeof *p);
    if (!p) {
      plat_log(PLAT_ERROR, "csvstat: out of memory keeping column %s", c->name);
      return;
    }
    c->values = p;
    c->cap = cap;
  }
  c->values[c->nvalues++] = v;
}

static int cs_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double cs_quantile(const double *v, unsigned long n, double q) {
  double pos = q * (double)(n - 1);
  unsigned long i = (unsigned long)pos;
  double frac = pos - (double)i;
  return i + 1 < n ? v[i] + frac * (v[i + 1] - v[i]) : v[i];
}

static void cs_group(const char *key) {
  const char *old = plat_map_get(&cs_groups, key);
  char count[32];
  snprintf(count, sizeof count, "%lu", old ? strtoul(old, NULL, 10) + 1 : 1UL);
  plat_map_put(&cs_groups, key, count);
}

static void cs_print_group(const char *key, const char *value, void *arg) {
  (void)arg;
  printf("  group %-20s %s rows\n", key, value);
}
#endif

/* The narrowest type that holds every value seen so far: empty < integer < decimal < text. */
static int cs_guess_type(const char *v) {
  if (*v == '\0') return CS_EMPTY;
  char *end;
  (void)strtol(v, &end, 10);
  if (*end == '\0') return CS_INT;
  (void)strtod(v, &end);
  if (*end == '\0') return CS_FLOAT;
  return CS_TEXT;
}

static void cs_note(int i, const char *v) {
  int t = cs_guess_type(v);
  if (t > cs_type[i]) cs_type[i] = t;
  size_t w = strlen(v);
  if (w > cs_width[i]) cs_width[i] = w;
}

static void cs_record(char **f, int n) {
  for (int i = 0; i < n && i < cs_ncols; i++) {
    cs_column *c = &cs_cols[i];
    cs_note(i, f[i]);
    if (*f[i] == '\0') {
      c->empty++;
      continue;
    }
    c->filled++;
#ifdef CS_NUMERIC
    char *end;
    double v = strtod(f[i], &end);
    if (*end == '\0') {
      if (c->numeric == 0 || v < c->min) c->min = v;
      if (c->numeric == 0 || v > c->max) c->max = v;
      c->sum += v;
      c->numeric++;
#ifdef CS_MEDIAN
      cs_keep(c, v);
#endif
    }
#endif
  }
#ifdef CS_MEDIAN
  if (n > 0) cs_group(f[0]);
#endif
  cs_rows++;
}

static void cs_summary(void) {
  printf("rows: %lu  columns: %d\n", cs_rows, cs_ncols);
  for (int i = 0; i < cs_ncols; i++) {
    if (cs_opt.column >= 0 && i != cs_opt.column) continue;
    cs_column *c = &cs_cols[i];
    printf("%-20s filled=%lu empty=%lu", c->name, c->filled, c->empty);
    if (cs_opt.types) printf(" type=%s width=%lu", cs_type_names[cs_type[i]], (unsigned long)cs_width[i]);
#ifdef CS_NUMERIC
    if (c->numeric) printf(" min=%g max=%g mean=%g", c->min, c->max, c->sum / (double)c->numeric);
#endif
#ifdef CS_MEDIAN
    if (c->nvalues) {
      qsort(c->values, c->nvalues, sizeof *c->values, cs_cmp);
      printf(" q1=%g median=%g q3=%g", cs_quantile(c->values, c->nvalues, 0.25),
             cs_quantile(c->values, c->nvalues, 0.5), cs_quantile(c->values, c->nvalues, 0.75));
    }
#endif
    printf("\n");
  }
#ifdef CS_MEDIAN
  printf("groups by %s:\n", cs_ncols ? cs_cols[0].name : "?");
  plat_map_each(&cs_groups, cs_print_group, NULL);
#endif
}

static void cs_usage(FILE *out) {
  fprintf(out, "usage: csvstat [options] FILE.csv\n");
  fprintf(out, "Summarises the columns of a CSV file with a header row.\n\n");
  fprintf(out, "options:\n");
  fprintf(out, "  -d DELIM     field delimiter (default ',')\n");
  fprintf(out, "  -H           the file has no header row; columns are named col1, col2, ...\n");
  fprintf(out, "  -c N         summarise only column N (1-based)\n");
  fprintf(out, "  -t           guess each column's type and report its widest value\n");
  fprintf(out, "  -q           do not warn about ragged rows\n");
  fprintf(out, "  -h           show this help\n");
  fprintf(out, "  --version    show the version\n");
#ifdef CS_NUMERIC
  fprintf(out, "Numeric columns get their minimum, maximum and mean.\n");
#endif
#ifdef CS_MEDIAN
  fprintf(out, "Numeric columns also get quartiles; rows are counted by the value of the first column.\n");
#endif
}

static void cs_version(void) {
#if defined(CS_MEDIAN)
  puts("csvstat 3.0 (numeric, quartiles, groups)");
#elif defined(CS_NUMERIC)
  puts("csvstat 2.0 (numeric)");
#else
  puts("csvstat 1.0");
#endif
}

static int cs_parse_args(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--version")) {
      cs_version();
      return -1;
    } else if (!strcmp(a, "-h")) {
      cs_usage(stdout);
      return -1;
    } else if (!strcmp(a, "-H")) {
      cs_opt.no_header = 1;
    } else if (!strcmp(a, "-t")) {
      cs_opt.types = 1;
    } else if (!strcmp(a, "-q")) {
      cs_opt.quiet = 1;
    } else if (!strcmp(a, "-d") && i + 1 < argc) {
      const char *d = argv[++i];
      cs_opt.delim = !strcmp(d, "tab") ? '\t' : d[0];
    } else if (!strcmp(a, "-c") && i + 1 < argc) {
      cs_opt.column = atoi(argv[++i]) - 1;
      if (cs_opt.column < 0) {
        fprintf(stderr, "csvstat: column numbers start at 1\n");
        return -1;
      }
    } else {
      fprintf(stderr, "csvstat: unknown option '%s' (try -h)\n", a);
      return -1;
    }
  }
  if (i + 1 != argc) {
    cs_usage(stderr);
    return -1;
  }
  return i;
}

int main(int argc, char **argv) {
  int file = cs_parse_args(argc, argv);
  if (file < 0) return 2;
  plat_log_level(cs_opt.quiet ? PLAT_ERROR : PLAT_WARN);
#ifdef CS_MEDIAN
  if (plat_map_init(&cs_groups, 509) != 0) return 2;
#endif
  plat_buf text;
  plat_buf_init(&text);
  if (plat_read_file(argv[file], &text) != 0 || !text.data) {
    fprintf(stderr, "csvstat: cannot read %s\n", argv[file]);
    return 2;
  }
  char *cursor = text.data, *line;
  char *fields[CS_MAX_COLS];
  if ((line = plat_next_line(&cursor)) == NULL) {
    fprintf(stderr, "csvstat: %s is empty\n", argv[file]);
    return 1;
  }
  cs_ncols = cs_fields(line, fields, CS_MAX_COLS);
  for (int i = 0; i < cs_ncols; i++) {
    if (cs_opt.no_header) snprintf(cs_cols[i].name, sizeof cs_cols[i].name, "col%d", i + 1);
    else snprintf(cs_cols[i].name, sizeof cs_cols[i].name, "%s", plat_trim(fields[i]));
  }
  if (cs_opt.no_header) cs_record(fields, cs_ncols);
  while ((line = plat_next_line(&cursor)) != NULL) {
    if (*plat_trim(line) == '\0') continue;
    int n = cs_fields(line, fields, CS_MAX_COLS);
    if (n != cs_ncols) plat_log(PLAT_WARN, "csvstat: row %lu has %d fields, header has %d", cs_rows + 2, n, cs_ncols);
    cs_record(fields, n);
  }
  if (cs_opt.column >= cs_ncols) {
    fprintf(stderr, "csvstat: no column %d (the file has %d)\n", cs_opt.column + 1, cs_ncols);
    return 2;
  }
  cs_summary();
  plat_buf_free(&text);
  return 0;
}
