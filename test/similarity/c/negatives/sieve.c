/* sieve: prints the primes below a bound with the sieve of Eratosthenes, and their count (an unrelated negative). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  unsigned long limit = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
  if (limit < 2 || limit > 100000000UL) {
    fprintf(stderr, "sieve: bound must be between 2 and 100000000\n");
    return 2;
  }
  unsigned char *composite = calloc(limit, 1);
  if (!composite) {
    fprintf(stderr, "sieve: cannot allocate %lu bytes\n", limit);
    return 2;
  }
  unsigned long count = 0;
  for (unsigned long i = 2; i < limit; i++) {
    if (composite[i]) continue;
    count++;
    if (argc < 3 || strcmp(argv[2], "--quiet") != 0) printf("%lu\n", i);
    for (unsigned long j = i * i; j < limit && i < 65536; j += i) composite[j] = 1;
  }
  fprintf(stderr, "sieve: %lu primes below %lu\n", count, limit);
  free(composite);
  return 0;
}
