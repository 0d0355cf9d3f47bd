/* sumtool: checksums of files (synthetic family "sumtool", a checksum utility).
 * Variants add features: ST_FLETCHER adds Fletcher-16 and Fletcher-32, ST_CHECK verifies a manifest of sums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t st_crc_table[256];

static void st_crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    st_crc_table[i] = c;
  }
}

static uint32_t st_crc32(uint32_t crc, const unsigned char *p, size_t n) {
  crc = ~crc;
  while (n--) crc = st_crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

static uint32_t st_adler32(uint32_t adler, const unsigned char *p, size_t n) {
  uint32_t a = adler & 0xFFFF, b = adler >> 16;
  while (n--) {
    a = (a + *p++) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

#ifdef ST_FLETCHER
static uint16_t st_fletcher16(const unsigned char *p, size_t n) {
  uint16_t s1 = 0, s2 = 0;
  while (n--) {
    s1 = (uint16_t)((s1 + *p++) % 255);
    s2 = (uint16_t)((s2 + s1) % 255);
  }
  return (uint16_t)((s2 << 8) | s1);
}

static uint32_t st_fletcher32(const unsigned char *p, size_t n) {
  uint32_t s1 = 0xFFFF, s2 = 0xFFFF;
  for (size_t i = 0; i + 1 < n; i += 2) {
    s1 = (s1 + (uint32_t)(p[i] | (p[i + 1] << 8))) % 65535u;
    s2 = (s2 + s1) % 65535u;
  }
  if (n & 1) {
    s1 = (s1 + p[n - 1]) % 65535u;
    s2 = (s2 + s1) % 65535u;
  }
  return (s2 << 16) | s1;
}
#endif

typedef struct {
  uint32_t crc, adler;
#ifdef ST_FLETCHER
  uint16_t f16;
  uint32_t f32;
#endif
  unsigned long long size;
} st_sums;

static int st_sum_file(const char *path, st_sums *out) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "sumtool: %s: cannot open\n", path);
    return -1;
  }
  unsigned char buf[8192];
  size_t n;
  memset(out, 0, sizeof *out);
  out->adler = 1;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    out->crc = st_crc32(out->crc, buf, n);
    out->adler = st_adler32(out->adler, buf, n);
#ifdef ST_FLETCHER
    /* Per-chunk Fletcher sums, folded: enough for a quick comparison of copies. */
    out->f16 ^= st_fletcher16(buf, n);
    out->f32 ^= st_fletcher32(buf, n);
#endif
    out->size += n;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) fprintf(stderr, "sumtool: %s: read error\n", path);
  return bad ? -1 : 0;
}

static void st_print(const char *path, const st_sums *s) {
  printf("crc32=%08lx adler32=%08lx", (unsigned long)s->crc, (unsigned long)s->adler);
#ifdef ST_FLETCHER
  printf(" fletcher16=%04x fletcher32=%08lx", s->f16, (unsigned long)s->f32);
#endif
  printf(" size=%llu  %s\n", s->size, path);
}

#ifdef ST_CHECK
/* Manifest lines: "<crc32 hex>  <path>". */
static int st_check(const char *manifest) {
  FILE *m = fopen(manifest, "r");
  if (!m) {
    fprintf(stderr, "sumtool: cannot open manifest %s\n", manifest);
    return 2;
  }
  char line[1024];
  int failures = 0, checked = 0;
  while (fgets(line, sizeof line, m)) {
    char path[900];
    unsigned long want;
    if (sscanf(line, "%8lx %899s", &want, path) != 2) {
      fprintf(stderr, "sumtool: malformed manifest line: %s", line);
      continue;
    }
    st_sums s;
    checked++;
    if (st_sum_file(path, &s) != 0 || s.crc != (uint32_t)want) {
      printf("%s: FAILED\n", path);
      failures++;
    } else {
      printf("%s: OK\n", path);
    }
  }
  fclose(m);
  printf("sumtool: %d of %d files failed verification\n", failures, checked);
  return failures ? 1 : 0;
}
#endif

typedef struct {
  int bare;
  int totals;
  int quiet;
  int upper;
} st_options;

static st_options st_opt;
static unsigned long long st_total_bytes;
static unsigned long st_total_files, st_failed_files;

static void st_hex(char *out, uint32_t v, int digits) {
  static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
  const char *d = st_opt.upper ? upper : lower;
  for (int i = digits - 1; i >= 0; i--) {
    out[i] = d[v & 15];
    v >>= 4;
  }
  out[digits] = '\0';
}

static void st_print_bare(const char *path, const st_sums *s) {
  char crc[9];
  st_hex(crc, s->crc, 8);
  printf("%s  %s\n", crc, path);
}

static void st_print_totals(void) {
  printf("sumtool: %lu file(s), %llu bytes", st_total_files, st_total_bytes);
  if (st_failed_files) printf(", %lu could not be read", st_failed_files);
  printf("\n");
}

static void st_usage(FILE *out) {
  fprintf(out, "usage: sumtool [options] FILE...\n");
  fprintf(out, "Prints the CRC-32 and Adler-32 checksums and the size of each file.\n\n");
  fprintf(out, "options:\n");
  fprintf(out, "  -b           bare output: CRC-32 and path only, one file per line\n");
  fprintf(out, "  -t           print the number of files and bytes at the end\n");
  fprintf(out, "  -u           upper-case hexadecimal digits\n");
  fprintf(out, "  -q           do not report unreadable files\n");
  fprintf(out, "  -h           show this help\n");
  fprintf(out, "  --version    show the version\n");
#ifdef ST_FLETCHER
  fprintf(out, "Fletcher-16 and Fletcher-32 sums are printed as well.\n");
#endif
#ifdef ST_CHECK
  fprintf(out, "       sumtool --check MANIFEST   verify files against a manifest of CRC-32 sums\n");
#endif
}

static void st_version(void) {
#if defined(ST_CHECK)
  puts("sumtool 3.0 (crc32, adler32, fletcher, manifest check)");
#elif defined(ST_FLETCHER)
  puts("sumtool 2.0 (crc32, adler32, fletcher)");
#else
  puts("sumtool 1.0 (crc32, adler32)");
#endif
}

static int st_parse_args(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--version")) {
      st_version();
      return -1;
    }
    if (!strcmp(a, "--check")) break;
    for (const char *p = a + 1; *p; p++) {
      switch (*p) {
        case 'b': st_opt.bare = 1; break;
        case 't': st_opt.totals = 1; break;
        case 'u': st_opt.upper = 1; break;
        case 'q': st_opt.quiet = 1; break;
        case 'h': st_usage(stdout); return -1;
        default:
          fprintf(stderr, "sumtool: unknown option -%c (try -h)\n", *p);
          return -1;
      }
    }
  }
  return i;
}

int main(int argc, char **argv) {
  st_crc_init();
  int first = st_parse_args(argc, argv);
  if (first < 0) return 2;
  if (first >= argc) {
    st_usage(stderr);
    return 2;
  }
#ifdef ST_CHECK
  if (strcmp(argv[first], "--check") == 0) {
    if (argc != first + 2) {
      fprintf(stderr, "sumtool: --check takes one manifest\n");
      return 2;
    }
    return st_check(argv[first + 1]);
  }
#endif
  int status = 0;
  for (int i = first; i < argc; i++) {
    st_sums s;
    if (st_sum_file(argv[i], &s) == 0) {
      if (st_opt.bare) st_print_bare(argv[i], &s);
      else st_print(argv[i], &s);
      st_total_files++;
      st_total_bytes += s.size;
    } else {
      st_failed_files++;
      status = 1;
    }
  }
  if (st_opt.totals) st_print_totals();
  return status;
}
