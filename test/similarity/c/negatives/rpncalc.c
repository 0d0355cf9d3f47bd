/* rpncalc: a reverse-Polish calculator reading tokens from its arguments (an unrelated negative). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RPN_DEPTH 128
static double rpn_stack[RPN_DEPTH];
static int rpn_top;

static int rpn_push(double v) {
  if (rpn_top >= RPN_DEPTH) {
    fprintf(stderr, "rpncalc: stack overflow at depth %d\n", RPN_DEPTH);
    return -1;
  }
  rpn_stack[rpn_top++] = v;
  return 0;
}

static int rpn_pop(double *v) {
  if (rpn_top == 0) {
    fprintf(stderr, "rpncalc: stack underflow\n");
    return -1;
  }
  *v = rpn_stack[--rpn_top];
  return 0;
}

static int rpn_apply(const char *op) {
  double a, b;
  if (!strcmp(op, "sqrt") || !strcmp(op, "neg")) {
    if (rpn_pop(&a)) return -1;
    return rpn_push(!strcmp(op, "sqrt") ? sqrt(a) : -a);
  }
  if (rpn_pop(&b) || rpn_pop(&a)) return -1;
  switch (op[0]) {
    case '+': return rpn_push(a + b);
    case '-': return rpn_push(a - b);
    case 'x': return rpn_push(a * b);
    case '/':
      if (b == 0) {
        fprintf(stderr, "rpncalc: division by zero\n");
        return -1;
      }
      return rpn_push(a / b);
    case '^': return rpn_push(pow(a, b));
  }
  fprintf(stderr, "rpncalc: unknown operator '%s'\n", op);
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rpncalc TOKEN...   (operators: + - x / ^ sqrt neg)\n");
    return 2;
  }
  for (int i = 1; i < argc; i++) {
    char *end;
    double v = strtod(argv[i], &end);
    if (*end == '\0') {
      if (rpn_push(v)) return 1;
    } else if (rpn_apply(argv[i])) {
      return 1;
    }
  }
  for (int i = 0; i < rpn_top; i++) printf("[%d] %.10g\n", i, rpn_stack[i]);
  return 0;
}
