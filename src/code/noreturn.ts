// Imported functions that never return: decoding must stop after a call to one, or it runs into the next function.

import type { ImportRef } from './image.js';

const NO_RETURN = new Set([
  'exitprocess',
  'exitthread',
  'freelibraryandexitthread',
  'rtlexituserthread',
  'rtlexituserprocess',
  'fatalexit',
  'fatalappexita',
  'fatalappexitw',
  'exit',
  '_exit',
  'quick_exit',
  '_cexit_noreturn',
  'abort',
  '__stack_chk_fail',
  '_cxxthrowexception',
  'longjmp',
  '_longjmp',
  '__report_gsfailure',
  '_invalid_parameter_noinfo_noreturn',
  '__fastfail',
  '_assert',
  '_wassert',
  'raisefailfastexception',
]);

export function isNoReturnImport(imp: ImportRef): boolean {
  return imp.name !== null && NO_RETURN.has(imp.name.toLowerCase());
}
