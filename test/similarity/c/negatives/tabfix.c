/* tabfix: expands tabs to spaces and normalises line endings of text files (an unrelated negative). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tf_width = 8;
static int tf_crlf = 0;

static void tf_stream(FILE *in, FILE *out) {
  int c, col = 0;
  while ((c = fgetc(in)) != EOF) {
    if (c == '\t') {
      do fputc(' ', out);
      while (++col % tf_width);
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      if (tf_crlf) fputc('\r', out);
      fputc('\n', out);
      col = 0;
    } else {
      fputc(c, out);
      col++;
    }
  }
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (!strncmp(argv[i], "--width=", 8)) tf_width = atoi(argv[i] + 8);
    else if (!strcmp(argv[i], "--crlf")) tf_crlf = 1;
    else {
      fprintf(stderr, "usage: tabfix [--width=N] [--crlf] [FILE...]\n");
      return 2;
    }
  }
  if (tf_width < 1 || tf_width > 32) {
    fprintf(stderr, "tabfix: width must be 1..32\n");
    return 2;
  }
  if (i == argc) tf_stream(stdin, stdout);
  for (; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      fprintf(stderr, "tabfix: cannot open %s\n", argv[i]);
      continue;
    }
    tf_stream(f, stdout);
    fclose(f);
  }
  return 0;
}
