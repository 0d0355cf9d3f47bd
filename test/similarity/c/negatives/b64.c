/* b64: base64 encoder and decoder for standard input (an unrelated negative). */
#include <stdio.h>
#include <string.h>

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(FILE *in, FILE *out) {
  unsigned char block[3];
  size_t n, col = 0;
  while ((n = fread(block, 1, 3, in)) > 0) {
    unsigned v = (unsigned)block[0] << 16 | (n > 1 ? (unsigned)block[1] << 8 : 0) | (n > 2 ? block[2] : 0);
    fputc(b64_alphabet[(v >> 18) & 63], out);
    fputc(b64_alphabet[(v >> 12) & 63], out);
    fputc(n > 1 ? b64_alphabet[(v >> 6) & 63] : '=', out);
    fputc(n > 2 ? b64_alphabet[v & 63] : '=', out);
    if ((col += 4) >= 76) {
      fputc('\n', out);
      col = 0;
    }
  }
  if (col) fputc('\n', out);
}

static int b64_value(int c) {
  const char *p = c ? strchr(b64_alphabet, c) : NULL;
  return p ? (int)(p - b64_alphabet) : -1;
}

static int b64_decode(FILE *in, FILE *out) {
  unsigned v = 0;
  int bits = 0, c;
  while ((c = fgetc(in)) != EOF) {
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    int d = b64_value(c);
    if (d < 0) {
      fprintf(stderr, "b64: invalid character 0x%02x in input\n", c);
      return 1;
    }
    v = (v << 6) | (unsigned)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      fputc((int)((v >> bits) & 0xFF), out);
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "-d") == 0) return b64_decode(stdin, stdout);
  if (argc == 1) {
    b64_encode(stdin, stdout);
    return 0;
  }
  fprintf(stderr, "usage: b64 [-d] < input > output\n");
  return 2;
}
