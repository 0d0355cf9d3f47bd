// Register families and calling-convention facts used by the small data-flow steps of API resolution.

const FAMILIES: Record<string, string> = {};
for (const [fam, names] of Object.entries({
  rax: ['rax', 'eax', 'ax', 'al', 'ah'],
  rbx: ['rbx', 'ebx', 'bx', 'bl', 'bh'],
  rcx: ['rcx', 'ecx', 'cx', 'cl', 'ch'],
  rdx: ['rdx', 'edx', 'dx', 'dl', 'dh'],
  rsi: ['rsi', 'esi', 'si', 'sil'],
  rdi: ['rdi', 'edi', 'di', 'dil'],
  rbp: ['rbp', 'ebp', 'bp', 'bpl'],
  rsp: ['rsp', 'esp', 'sp', 'spl'],
})) {
  for (const n of names) FAMILIES[n] = fam;
}
for (let i = 8; i <= 15; i++) for (const s of ['', 'd', 'w', 'b']) FAMILIES[`r${i}${s}`] = `r${i}`;

/** The full-width register a name belongs to: `eax` and `al` are both `rax`. */
export function family(reg: string): string {
  return FAMILIES[reg] ?? reg;
}

/** Registers a call may change: cdecl/stdcall on x86, the Microsoft x64 convention's volatile set. */
export const VOLATILE_32 = ['rax', 'rcx', 'rdx'];
export const VOLATILE_64 = ['rax', 'rcx', 'rdx', 'r8', 'r9', 'r10', 'r11'];

export const STACK_REGS = new Set(['esp', 'ebp', 'rsp', 'rbp']);

/** Mnemonics whose first operand is read, not written, so they do not change a tracked register. */
export const NO_WRITE_OP0 = new Set(['cmp', 'test', 'push', 'bt', 'call', 'jmp', 'ret', 'nop']);

/** Registers an instruction writes without naming them as its first operand (string ops, cpuid, mul/div...). */
export function implicitWrites(mnem: string): readonly string[] {
  let w = implicitCache.get(mnem);
  if (w === undefined) {
    w = /^(rep|repe|repne)?(movs|stos|lods|cmps|scas)[bwdq]?$/.test(mnem) ? STRING_OP_REGS : (IMPLICIT[mnem] ?? NONE);
    implicitCache.set(mnem, w);
  }
  return w;
}

const implicitCache = new Map<string, readonly string[]>();

const NONE: readonly string[] = [];
const STRING_OP_REGS = ['rsi', 'rdi', 'rcx', 'rax'];
const IMPLICIT: Record<string, readonly string[]> = {
  cpuid: ['rax', 'rbx', 'rcx', 'rdx'],
  mul: ['rax', 'rdx'],
  imul: ['rax', 'rdx'],
  div: ['rax', 'rdx'],
  idiv: ['rax', 'rdx'],
  cdq: ['rdx'],
  cqo: ['rdx'],
  cwd: ['rdx'],
  cdqe: ['rax'],
  cwde: ['rax'],
  rdtsc: ['rax', 'rdx'],
  rdtscp: ['rax', 'rcx', 'rdx'],
  cmpxchg: ['rax'],
  leave: ['rbp', 'rsp'],
  syscall: ['rcx', 'r11', 'rax'],
  sysenter: ['rax'],
  popad: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp'],
  popa: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp'],
  xlatb: ['rax'],
  lahf: ['rax'],
  in: ['rax'],
  rdmsr: ['rax', 'rdx'],
  xgetbv: ['rax', 'rdx'],
};
