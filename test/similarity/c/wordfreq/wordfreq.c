/* wordfreq: counts words in text files (synthetic family "wordfreq", a text-processing utility).
 * Variants add features: WF_TOPN sorts and prints the most frequent words, WF_FOLD folds case and skips
 * stop words and counts word pairs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WF_MAX_WORD 64
#ifndef WF_TABLE
#define WF_TABLE 4093 /* a build may choose another prime (tests change it to change one constant) */
#endif
#define WF_MAX_LEN_BUCKET 24

typedef struct wf_word {
  char text[WF_MAX_WORD];
  unsigned long count;
  struct wf_word *next;
} wf_word;

typedef struct {
  unsigned long top;
  unsigned long min_len;
  int skip_digits;
  int quiet;
  int histogram;
  const char *out_path;
} wf_options;

static wf_word *wf_table[WF_TABLE];
static unsigned long wf_total_words, wf_total_lines, wf_total_chars, wf_distinct, wf_skipped;
static unsigned long wf_len_counts[WF_MAX_LEN_BUCKET + 1];
static char wf_longest[WF_MAX_WORD];
static wf_options wf_opt = {20, 1, 0, 0, 0, NULL};

static unsigned wf_hash(const char *s) {
  unsigned h = 5381;
  while (*s) h = h * 33u + (unsigned char)*s++;
  return h % WF_TABLE;
}

static void wf_add(const char *w) {
  unsigned i = wf_hash(w);
  for (wf_word *e = wf_table[i]; e; e = e->next) {
    if (strcmp(e->text, w) == 0) {
      e->count++;
      return;
    }
  }
  wf_word *e = calloc(1, sizeof *e);
  if (!e) {
    fprintf(stderr, "wordfreq: out of memory after %lu distinct words\n", wf_distinct);
    exit(3);
  }
  strncpy(e->text, w, WF_MAX_WORD - 1);
  e->count = 1;
  e->next = wf_table[i];
  wf_table[i] = e;
  wf_distinct++;
}

static int wf_all_digits(const char *w) {
  for (; *w; w++)
    if (!isdigit((unsigned char)*w)) return 0;
  return 1;
}

#ifdef WF_FOLD
static const char *const wf_stop_words[] = {"the", "a", "an", "and", "or", "of", "to", "in", "is", "it", "that", NULL};

static int wf_is_stop(const char *w) {
  for (int i = 0; wf_stop_words[i]; i++)
    if (strcmp(wf_stop_words[i], w) == 0) return 1;
  return 0;
}

static char wf_prev[WF_MAX_WORD];

static void wf_add_pair(const char *w) {
  if (wf_prev[0]) {
    char pair[2 * WF_MAX_WORD + 2];
    snprintf(pair, sizeof pair, "%s+%s", wf_prev, w);
    pair[WF_MAX_WORD - 1] = '\0';
    wf_add(pair);
  }
  strncpy(wf_prev, w, WF_MAX_WORD - 1);
}
#endif

static void wf_word_done(char *w) {
  size_t len = strlen(w);
  if (len < wf_opt.min_len || (wf_opt.skip_digits && wf_all_digits(w))) {
    wf_skipped++;
    return;
  }
#ifdef WF_FOLD
  for (char *p = w; *p; p++) *p = (char)tolower((unsigned char)*p);
  if (wf_is_stop(w)) return;
  wf_add_pair(w);
#endif
  wf_len_counts[len > WF_MAX_LEN_BUCKET ? WF_MAX_LEN_BUCKET : len]++;
  if (len > strlen(wf_longest)) strncpy(wf_longest, w, WF_MAX_WORD - 1);
  wf_add(w);
  wf_total_words++;
}

static int wf_count_stream(FILE *f) {
  char w[WF_MAX_WORD];
  size_t n = 0;
  int c;
  while ((c = fgetc(f)) != EOF) {
    wf_total_chars++;
    if (c == '\n') wf_total_lines++;
    if (isalnum(c) || c == '\'' || c == '-') {
      if (n < WF_MAX_WORD - 1) w[n++] = (char)c;
    } else if (n > 0) {
      w[n] = '\0';
      wf_word_done(w);
      n = 0;
    }
  }
  if (n > 0) {
    w[n] = '\0';
    wf_word_done(w);
  }
  return ferror(f) ? -1 : 0;
}

static void wf_print_histogram(FILE *out) {
  unsigned long most = 1;
  for (int i = 1; i <= WF_MAX_LEN_BUCKET; i++)
    if (wf_len_counts[i] > most) most = wf_len_counts[i];
  fprintf(out, "word length histogram (%lu words):\n", wf_total_words);
  for (int i = 1; i <= WF_MAX_LEN_BUCKET; i++) {
    if (!wf_len_counts[i]) continue;
    int bar = (int)(50 * wf_len_counts[i] / most);
    fprintf(out, "%s%2d | ", i == WF_MAX_LEN_BUCKET ? ">=" : "  ", i);
    for (int k = 0; k < bar; k++) fputc('#', out);
    fprintf(out, " %lu\n", wf_len_counts[i]);
  }
}

static void wf_print_stats(FILE *out) {
  unsigned long letters = 0;
  for (int i = 1; i <= WF_MAX_LEN_BUCKET; i++) letters += (unsigned long)i * wf_len_counts[i];
  fprintf(out, "lines: %lu  words: %lu  characters: %lu  distinct: %lu  skipped: %lu\n", wf_total_lines,
          wf_total_words, wf_total_chars, wf_distinct, wf_skipped);
  if (wf_total_words) {
    fprintf(out, "average word length: %.2f  longest word: %s\n", (double)letters / (double)wf_total_words,
            wf_longest);
    fprintf(out, "lexical diversity (distinct/total): %.3f\n", (double)wf_distinct / (double)wf_total_words);
  }
}

#ifdef WF_TOPN
static int wf_by_count(const void *a, const void *b) {
  const wf_word *x = *(const wf_word *const *)a;
  const wf_word *y = *(const wf_word *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->text, y->text);
}

static void wf_print_top(FILE *out, unsigned long n) {
  wf_word **all = malloc(wf_distinct * sizeof *all);
  if (!all) return;
  unsigned long k = 0;
  for (unsigned i = 0; i < WF_TABLE; i++)
    for (wf_word *e = wf_table[i]; e; e = e->next) all[k++] = e;
  qsort(all, k, sizeof *all, wf_by_count);
  fprintf(out, "%-24s %10s %8s\n", "word", "count", "share");
  for (unsigned long i = 0; i < k && i < n; i++)
    fprintf(out, "%-24s %10lu %7.2f%%\n", all[i]->text, all[i]->count, 100.0 * all[i]->count / (double)wf_total_words);
  free(all);
}
#endif

static void wf_free_table(void) {
  for (unsigned i = 0; i < WF_TABLE; i++) {
    wf_word *e = wf_table[i];
    while (e) {
      wf_word *next = e->next;
      free(e);
      e = next;
    }
    wf_table[i] = NULL;
  }
}

static void wf_usage(FILE *out) {
  fprintf(out, "usage: wordfreq [options] FILE...\n");
  fprintf(out, "Counts words, lines and characters of text files and reports word statistics.\n\n");
  fprintf(out, "options:\n");
  fprintf(out, "  -n TOP       how many of the most frequent words to list (default 20)\n");
  fprintf(out, "  -m MINLEN    ignore words shorter than MINLEN characters\n");
  fprintf(out, "  -x           ignore words made only of digits\n");
  fprintf(out, "  -g           print a histogram of word lengths\n");
  fprintf(out, "  -o OUTFILE   write the report to OUTFILE instead of standard output\n");
  fprintf(out, "  -q           do not warn about unreadable files\n");
  fprintf(out, "  -h           show this help\n");
  fprintf(out, "  --version    show the version\n");
#ifdef WF_FOLD
  fprintf(out, "Words are folded to lower case; common stop words are skipped; word pairs are counted.\n");
#endif
}

static void wf_version(void) {
#if defined(WF_FOLD)
  puts("wordfreq 3.0 (word pairs, case folding)");
#elif defined(WF_TOPN)
  puts("wordfreq 2.0 (top words)");
#else
  puts("wordfreq 1.0");
#endif
}

/* Returns the index of the first file argument, or -1 after printing help or an error. */
static int wf_parse_args(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--version")) {
      wf_version();
      return -1;
    } else if (!strcmp(a, "-h")) {
      wf_usage(stdout);
      return -1;
    } else if (!strcmp(a, "-x")) {
      wf_opt.skip_digits = 1;
    } else if (!strcmp(a, "-q")) {
      wf_opt.quiet = 1;
    } else if (!strcmp(a, "-g")) {
      wf_opt.histogram = 1;
    } else if ((!strcmp(a, "-n") || !strcmp(a, "-m") || !strcmp(a, "-o")) && i + 1 < argc) {
      const char *v = argv[++i];
      if (a[1] == 'o') wf_opt.out_path = v;
      else {
        char *end;
        unsigned long n = strtoul(v, &end, 10);
        if (*end) {
          fprintf(stderr, "wordfreq: option %s needs a number, not '%s'\n", a, v);
          return -1;
        }
        if (a[1] == 'n') wf_opt.top = n;
        else wf_opt.min_len = n;
      }
    } else {
      fprintf(stderr, "wordfreq: unknown option '%s' (try -h)\n", a);
      return -1;
    }
  }
  return i;
}

int main(int argc, char **argv) {
  int first = wf_parse_args(argc, argv);
  if (first < 0) return 2;
  if (first >= argc) {
    wf_usage(stderr);
    return 2;
  }
  for (int i = first; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      if (!wf_opt.quiet) fprintf(stderr, "wordfreq: cannot open %s\n", argv[i]);
      continue;
    }
    if (wf_count_stream(f) != 0 && !wf_opt.quiet) fprintf(stderr, "wordfreq: read error in %s\n", argv[i]);
    fclose(f);
  }
  FILE *out = stdout;
  if (wf_opt.out_path && !(out = fopen(wf_opt.out_path, "w"))) {
    fprintf(stderr, "wordfreq: cannot write report to %s\n", wf_opt.out_path);
    return 2;
  }
  wf_print_stats(out);
  if (wf_opt.histogram) wf_print_histogram(out);
#ifdef WF_TOPN
  wf_print_top(out, wf_opt.top);
#endif
  if (out != stdout) fclose(out);
  wf_free_table();
  return 0;
}
