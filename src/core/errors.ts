// The one error type every non-parser failure throws: a stable code, the input it concerns, and where in it.

/** Stable codes. Add new ones at the end; never rename one, scripts and the fleet match on them. */
export const ERROR_CODES = [
  'E_INPUT_NOT_FOUND',
  'E_INPUT_UNREADABLE',
  'E_INPUT_TOO_LARGE',
  'E_INPUT_MALFORMED',
  'E_USAGE',
  'E_RULE_SYNTAX',
  'E_RULE_IO',
  'E_IOC_SYNTAX',
  'E_ENGINE_UNAVAILABLE',
  'E_ENGINE',
  'E_TIMEOUT',
  'E_LIMIT',
  'E_DB',
  'E_OUTPUT',
  'E_INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorContext {
  /** The file, rule file, archive member or image path the error concerns. */
  input?: string;
  /** Byte offset in that input, or a 1-based line for text inputs (see `line`). */
  offset?: number;
  line?: number;
  column?: number;
  cause?: unknown;
}

export class FirebreakError extends Error {
  readonly code: ErrorCode;
  readonly input: string | undefined;
  readonly offset: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'FirebreakError';
    this.code = code;
    this.input = context.input;
    this.offset = context.offset;
    this.line = context.line;
    this.column = context.column;
  }

  /** One line for a person: `input:line:col: message [CODE]` or `input@0xoff: message [CODE]`. */
  oneLine(): string {
    let where = this.input ?? '';
    if (this.line !== undefined) where += `:${this.line}${this.column !== undefined ? `:${this.column}` : ''}`;
    else if (this.offset !== undefined) where += `@0x${this.offset.toString(16)}`;
    const text = this.message.replace(/\s*\n\s*/g, ' ');
    return `${where ? `${where}: ` : ''}${text} [${this.code}]`;
  }
}

export function isFirebreakError(e: unknown): e is FirebreakError {
  return e instanceof FirebreakError;
}

/** Any thrown value as a FirebreakError, keeping the original as `cause`. */
export function toFirebreakError(e: unknown, input?: string, code: ErrorCode = 'E_INTERNAL'): FirebreakError {
  if (e instanceof FirebreakError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new FirebreakError(code, message, { input, cause: e });
}
