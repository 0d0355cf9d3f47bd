/* Linked first into a build of a family program, this moves every later function and datum to another address,
 * as relinking or a new version does; the code hashes of the unchanged functions must not move with them. */
#include <stddef.h>

static const unsigned short pad_table[64] = {
  3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109,
  113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239,
  241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313};

unsigned long pad_mix(const unsigned char *p, size_t n) {
  unsigned long h = 0;
  for (size_t i = 0; i < n; i++) {
    h = h * pad_table[i & 63] + p[i];
    h ^= h >> 13;
    if (h & 1) h += pad_table[(h >> 3) & 63];
    else h -= pad_table[(h >> 5) & 63];
  }
  return h;
}
