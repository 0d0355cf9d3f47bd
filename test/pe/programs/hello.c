/* The smallest ordinary test program for the PE parser (never run). */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
