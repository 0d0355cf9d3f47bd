// Named limits and budgets of code recovery: every loop and worklist in code/ is bounded by one of these.

/** Functions recovered per sample (a large DLL has tens of thousands). */
export const MAX_FUNCTIONS = 200_000;
/** Instructions in one function; a longer one is cut and marked truncated. */
export const MAX_FUNCTION_INSNS = 200_000;
/** Instructions one function may share with functions recovered before it; past this it is cut (truncated). */
export const MAX_SHARED_INSNS = 4096;
/** Basic blocks in one function. */
export const MAX_FUNCTION_BLOCKS = 50_000;
/** Entries read from one jump table. */
export const MAX_JUMP_TABLE_ENTRIES = 1024;
/** Links followed through jmp thunks (capa follows 5). */
export const MAX_THUNK_CHAIN = 5;
/** Pointers followed from an operand to the data it names (capa's derefs follows 10). */
export const MAX_DEREF_DEPTH = 10;
/** Characters read for one string; longer strings are cut here. */
export const MAX_STRING_CHARS = 4096;
/** Shortest string reported (capa's is 4). */
export const MIN_STRING_CHARS = 4;
/** Instructions at most in a function that counts as a wrapper around one API. */
export const MAX_WRAPPER_INSNS = 16;
/** Instructions looked back from an indirect jump for its table's bound and base. */
export const JUMP_TABLE_LOOKBACK = 12;
/** How often (in decoded instructions) the time budget is checked. */
export const BUDGET_CHECK_INTERVAL = 2048;

export interface RecoveryBudget {
  /** Absolute deadline in ms on the `now` clock; past it recovery stops and the result is partial. */
  deadline?: number;
  /** Instructions decoded at most (all functions together). */
  maxInstructions?: number;
  /** Functions recovered at most. */
  maxFunctions?: number;
  now?: () => number;
}

/** Default instruction budget: about 40 MiB of code, far above any DLL in the Wine corpus. */
export const DEFAULT_MAX_INSTRUCTIONS = 10_000_000;
