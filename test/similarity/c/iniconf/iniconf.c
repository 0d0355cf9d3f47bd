/* iniconf: reads INI configuration files and prints or queries their keys (synthetic family "iniconf", a
 * config-parsing utility built on the shared platform library).
 * Variants add features: IC_EXPAND expands ${NAME} from the environment and from other keys, IC_SCHEMA checks
 * values against a schema of typed keys. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../platform/plat.h"

#define IC_MAX_KEY 256

static int ic_errors;

static void ic_report(int lineno, const char *what, const char *text) {
  fprintf(stderr, "iniconf: line %d: %s: %s\n", lineno, what, text);
  ic_errors++;
}

#ifdef IC_EXPAND
/* Expands ${NAME}: first from keys already read (section.key), then from the environment. */
static void ic_expand(const plat_map *m, const char *in, plat_buf *out) {
  for (const char *p = in; *p;) {
    if (p[0] == '$' && p[1] == '{') {
      const char *end = strchr(p + 2, '}');
      if (end && (size_t)(end - p - 2) < IC_MAX_KEY) {
        char name[IC_MAX_KEY];
        memcpy(name, p + 2, (size_t)(end - p - 2));
        name[end - p - 2] = '\0';
        const char *v = plat_map_get(m, name);
        if (!v) v = getenv(name);
        if (v) plat_buf_append(out, v, strlen(v));
        else plat_log(PLAT_WARN, "iniconf: undefined variable '%s'", name);
        p = end + 1;
        continue;
      }
    }
    plat_buf_append(out, p, 1);
    p++;
  }
}
#endif

static int ic_parse(char *text, plat_map *m) {
  char section[IC_MAX_KEY] = "global";
  char *cursor = text;
  char *line;
  int lineno = 0;
  while ((line = plat_next_line(&cursor)) != NULL) {
    lineno++;
    char *s = plat_trim(line);
    if (*s == '\0' || *s == ';' || *s == '#') continue;
    if (*s == '[') {
      char *close = strchr(s, ']');
      if (!close) {
        ic_report(lineno, "unterminated section header", s);
        continue;
      }
      *close = '\0';
      snprintf(section, sizeof section, "%s", plat_trim(s + 1));
      plat_lower(section);
      continue;
    }
    char *fields[2];
    if (plat_split(s, '=', fields, 2) != 2) {
      ic_report(lineno, "expected key = value", s);
      continue;
    }
    char *key = plat_trim(fields[0]);
    char *value = plat_trim(fields[1]);
    if (*key == '\0') {
      ic_report(lineno, "empty key", s);
      continue;
    }
    char full[2 * IC_MAX_KEY + 2];
    snprintf(full, sizeof full, "%s.%s", section, key);
    plat_lower(full);
#ifdef IC_EXPAND
    plat_buf expanded;
    plat_buf_init(&expanded);
    ic_expand(m, value, &expanded);
    plat_map_put(m, full, expanded.data ? expanded.data : "");
    plat_buf_free(&expanded);
#else
    plat_map_put(m, full, value);
#endif
  }
  return lineno;
}

#ifdef IC_SCHEMA
/* Schema lines: "section.key type" with type one of int, bool, string, port. */
static int ic_check_value(const char *type, const char *v) {
  if (strcmp(type, "string") == 0) return 1;
  if (strcmp(type, "bool") == 0)
    return !strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "yes") || !strcmp(v, "no");
  if (strcmp(type, "int") == 0 || strcmp(type, "port") == 0) {
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0') return 0;
    return strcmp(type, "port") != 0 || (n > 0 && n < 65536);
  }
  return 0;
}

static int ic_schema(const plat_map *m, const char *schema_path) {
  plat_buf sb;
  plat_buf_init(&sb);
  if (plat_read_file(schema_path, &sb) != 0) {
    fprintf(stderr, "iniconf: cannot read schema %s\n", schema_path);
    return 2;
  }
  int bad = 0;
  char *cursor = sb.data, *line;
  while ((line = plat_next_line(&cursor)) != NULL) {
    char *fields[2];
    char *s = plat_trim(line);
    if (*s == '\0' || *s == '#') continue;
    if (plat_split(s, ' ', fields, 2) != 2) continue;
    const char *v = plat_map_get(m, fields[0]);
    if (!v) {
      printf("schema: missing required key %s\n", fields[0]);
      bad++;
    } else if (!ic_check_value(plat_trim(fields[1]), v)) {
      printf("schema: %s = '%s' is not a valid %s\n", fields[0], v, fields[1]);
      bad++;
    }
  }
  plat_buf_free(&sb);
  printf("schema: %d problem(s)\n", bad);
  return bad ? 1 : 0;
}
#endif

typedef struct {
  int list_sections;
  int json;
  int quiet;
  const char *section;
  const char *query;
  const char *schema;
} ic_options;

static ic_options ic_opt;

static void ic_print(const char *key, const char *value, void *arg) {
  const char *section = arg;
  if (section) {
    size_t n = strlen(section);
    if (strncmp(key, section, n) != 0 || key[n] != '.') return;
  }
  printf("%s = %s\n", key, value);
}

static void ic_json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c == '\n') fputs("\\n", stdout);
    else if (c == '\t') fputs("\\t", stdout);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static int ic_json_first;

static void ic_print_json_entry(const char *key, const char *value, void *arg) {
  (void)arg;
  fputs(ic_json_first ? "\n  " : ",\n  ", stdout);
  ic_json_first = 0;
  ic_json_string(key);
  fputs(": ", stdout);
  ic_json_string(value);
}

static void ic_print_json(const plat_map *m) {
  ic_json_first = 1;
  putchar('{');
  plat_map_each(m, ic_print_json_entry, NULL);
  puts(ic_json_first ? "}" : "\n}");
}

/* Sections are the key prefixes before the first dot; each is printed once. */
static void ic_collect_section(const char *key, const char *value, void *arg) {
  (void)value;
  plat_map *sections = arg;
  char name[IC_MAX_KEY];
  const char *dot = strchr(key, '.');
  size_t n = dot ? (size_t)(dot - key) : strlen(key);
  if (n >= sizeof name) n = sizeof name - 1;
  memcpy(name, key, n);
  name[n] = '\0';
  if (!plat_map_get(sections, name)) plat_map_put(sections, name, "1");
}

static void ic_print_section(const char *key, const char *value, void *arg) {
  (void)value;
  (void)arg;
  printf("[%s]\n", key);
}

static void ic_list_sections(const plat_map *m) {
  plat_map sections;
  if (plat_map_init(&sections, 61) != 0) return;
  plat_map_each(m, ic_collect_section, &sections);
  plat_map_each(&sections, ic_print_section, NULL);
  printf("iniconf: %lu section(s)\n", (unsigned long)sections.count);
  plat_map_free(&sections);
}

static void ic_usage(FILE *out) {
  fprintf(out, "usage: iniconf [options] FILE.ini [section.key]\n");
  fprintf(out, "Reads an INI configuration file and prints its keys, or the value of one key.\n\n");
  fprintf(out, "options:\n");
  fprintf(out, "  -l           list the sections of the file\n");
  fprintf(out, "  -s SECTION   print only the keys of SECTION\n");
  fprintf(out, "  -j           print all keys as one JSON object\n");
  fprintf(out, "  -q           do not report syntax errors\n");
  fprintf(out, "  -h           show this help\n");
  fprintf(out, "  --version    show the version\n");
  fprintf(out, "Keys are printed as section.key; names are case-insensitive.\n");
#ifdef IC_EXPAND
  fprintf(out, "Values may refer to ${section.key} or to ${ENVIRONMENT_VARIABLE}.\n");
#endif
#ifdef IC_SCHEMA
  fprintf(out, "  --schema SCHEMA   check the values against a schema of typed keys\n");
#endif
}

static void ic_version(void) {
#if defined(IC_SCHEMA)
  puts("iniconf 3.0 (expansion, schema)");
#elif defined(IC_EXPAND)
  puts("iniconf 2.0 (expansion)");
#else
  puts("iniconf 1.0");
#endif
}

static int ic_parse_args(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--version")) {
      ic_version();
      return -1;
    } else if (!strcmp(a, "-h")) {
      ic_usage(stdout);
      return -1;
    } else if (!strcmp(a, "-l")) {
      ic_opt.list_sections = 1;
    } else if (!strcmp(a, "-j")) {
      ic_opt.json = 1;
    } else if (!strcmp(a, "-q")) {
      ic_opt.quiet = 1;
    } else if (!strcmp(a, "-s") && i + 1 < argc) {
      ic_opt.section = argv[++i];
#ifdef IC_SCHEMA
    } else if (!strcmp(a, "--schema") && i + 1 < argc) {
      ic_opt.schema = argv[++i];
#endif
    } else {
      fprintf(stderr, "iniconf: unknown option '%s' (try -h)\n", a);
      return -1;
    }
  }
  if (i >= argc) {
    ic_usage(stderr);
    return -1;
  }
  if (i + 1 < argc) ic_opt.query = argv[i + 1];
  return i;
}

int main(int argc, char **argv) {
  int file = ic_parse_args(argc, argv);
  if (file < 0) return 2;
  plat_log_level(getenv("INICONF_DEBUG") ? PLAT_DEBUG : PLAT_WARN);
  plat_buf text;
  plat_buf_init(&text);
  if (plat_read_file(argv[file], &text) != 0) return 2;
  plat_map m;
  if (plat_map_init(&m, 211) != 0) return 2;
  int lines = ic_parse(text.data ? text.data : (char *)"", &m);
  plat_log(PLAT_INFO, "iniconf: %d lines, %lu keys, %d errors", lines, (unsigned long)m.count, ic_errors);
  int status = ic_errors && !ic_opt.quiet ? 1 : 0;
#ifdef IC_SCHEMA
  if (ic_opt.schema) status = ic_schema(&m, ic_opt.schema);
  else
#endif
  if (ic_opt.query) {
    const char *v = plat_map_get(&m, ic_opt.query);
    if (v) printf("%s\n", v);
    else {
      fprintf(stderr, "iniconf: no key %s\n", ic_opt.query);
      status = 1;
    }
  } else if (ic_opt.list_sections) {
    ic_list_sections(&m);
  } else if (ic_opt.json) {
    ic_print_json(&m);
  } else {
    plat_map_each(&m, ic_print, (void *)ic_opt.section);
  }
  plat_map_free(&m);
  plat_buf_free(&text);
  return status;
}
