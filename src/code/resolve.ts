// Resolves which imported API each call reaches: through the IAT, jmp thunks, a register loaded from the IAT, or a wrapper.

import type { ImportRef } from './image.js';
import { MAX_WRAPPER_INSNS } from './limits.js';
import type { Program, RecoveredFunction } from './recover.js';
import { NO_WRITE_OP0, VOLATILE_32, VOLATILE_64, family, implicitWrites } from './registers.js';

/**
 * Fills `program.apiCalls` and each function's `wrapperOf`. Forms handled:
 * `call [iat]` and `jmp [iat]` (x86 absolute, x64 RIP-relative); `call thunk` where the thunk is `jmp [iat]`
 * (chains followed); `mov reg, [iat]` ... `call reg` within a block and its fall-through successors, or anywhere
 * in the function when that load is the register's only definition there (compilers hoist API pointers into
 * callee-saved registers before a loop); and calls to a small function whose only job is one API call (a wrapper).
 */
export function resolveApis(program: Program, thunkImport: (va: number) => ImportRef | null): void {
  const imports = program.view.image.imports;
  const volatile = program.view.bitness === 64 ? VOLATILE_64 : VOLATILE_32;
  for (const f of program.functions.values()) {
    const single = singleDefinitions(f, imports, volatile);
    const preds = new Map<number, number>();
    for (const b of f.blocks) for (const s of b.succs) preds.set(s, (preds.get(s) ?? 0) + 1);
    const byVa = [...f.blocks].sort((a, b) => a.va - b.va);
    const state = new Map<string, ImportRef>();
    let prevEnd = -1;
    for (const b of byVa) {
      // Register contents carry over only on a plain fall-through from the block just before.
      if (!(b.va === prevEnd && (preds.get(b.va) ?? 0) <= 1)) state.clear();
      for (const i of b.insns) {
        const op0 = i.ops[0];
        const op1 = i.ops[1];
        if (i.flow === 'call' || i.flow === 'jmp' || i.flow === 'call-indirect' || i.flow === 'jmp-indirect') {
          let imp: ImportRef | null | undefined = null;
          if (op0?.type === 'mem' && op0.absolute !== null && !op0.index) imp = imports.get(op0.absolute);
          else if (op0?.type === 'branch') imp = thunkImport(op0.target);
          else if (op0?.type === 'reg') imp = state.get(family(op0.reg)) ?? single.get(family(op0.reg));
          if (imp) program.apiCalls.set(i.va, imp);
          if (i.flow === 'call' || i.flow === 'call-indirect') for (const r of volatile) state.delete(r);
          continue;
        }
        for (const r of implicitWrites(i.mnem)) state.delete(r);
        if (op0?.type !== 'reg' || NO_WRITE_OP0.has(i.mnem)) continue;
        const dst = family(op0.reg);
        if (i.mnem === 'mov' && op1?.type === 'mem' && op1.absolute !== null && !op1.index && imports.has(op1.absolute)) {
          state.set(dst, imports.get(op1.absolute)!);
        } else if (i.mnem === 'mov' && op1?.type === 'reg' && state.has(family(op1.reg))) {
          state.set(dst, state.get(family(op1.reg))!);
        } else {
          state.delete(dst);
          if (i.mnem === 'xchg' && op1?.type === 'reg') state.delete(family(op1.reg));
        }
      }
      const last = b.insns[b.insns.length - 1];
      prevEnd = last ? last.va + last.size : -1;
    }
  }
  for (const f of program.functions.values()) {
    if (f.thunk) continue;
    f.wrapperOf = wrapperImport(f, program);
  }
  // A call to a wrapper (or to a thunk found as a function) is a call to the API it wraps.
  for (const f of program.functions.values()) {
    for (const b of f.blocks) {
      for (const i of b.insns) {
        if (i.flow !== 'call' || program.apiCalls.has(i.va)) continue;
        const op = i.ops[0];
        if (op?.type !== 'branch') continue;
        const callee = program.functions.get(op.target);
        const imp = callee?.thunk ?? callee?.wrapperOf;
        if (imp) program.apiCalls.set(i.va, imp);
      }
    }
  }
}

/**
 * Registers whose only definition in the whole function is a load from the IAT (calls count as definitions of the
 * volatile registers, since they hold return values afterwards).
 */
function singleDefinitions(f: RecoveredFunction, imports: Map<number, ImportRef>, volatile: string[]): Map<string, ImportRef> {
  const defs = new Map<string, number>();
  const loads = new Map<string, ImportRef>();
  const def = (r: string) => defs.set(r, (defs.get(r) ?? 0) + 1);
  for (const b of f.blocks) {
    // Restoring callee-saved registers in the epilogue does not count: nothing in the function runs after it.
    const epilogue = b.insns[b.insns.length - 1]?.flow === 'ret';
    for (const i of b.insns) {
      if (i.flow === 'call' || i.flow === 'call-indirect') {
        for (const r of volatile) def(r);
        continue;
      }
      if (epilogue && i.mnem === 'pop') continue;
      for (const r of implicitWrites(i.mnem)) def(r);
      const op0 = i.ops[0];
      const op1 = i.ops[1];
      if (op0?.type !== 'reg' || NO_WRITE_OP0.has(i.mnem)) continue;
      const dst = family(op0.reg);
      def(dst);
      if (i.mnem === 'xchg' && op1?.type === 'reg') def(family(op1.reg));
      if (i.mnem === 'mov' && op1?.type === 'mem' && op1.absolute !== null && !op1.index && imports.has(op1.absolute)) loads.set(dst, imports.get(op1.absolute)!);
    }
  }
  const out = new Map<string, ImportRef>();
  for (const [r, imp] of loads) if (defs.get(r) === 1) out.set(r, imp);
  return out;
}

/** The one import a small function exists to call, or null when it does anything more. */
function wrapperImport(f: RecoveredFunction, program: Program): ImportRef | null {
  if (f.blocks.length > 4 || f.callees.length > 0) return null;
  let count = 0;
  let found: ImportRef | null = null;
  for (const b of f.blocks) {
    for (const i of b.insns) {
      if (++count > MAX_WRAPPER_INSNS) return null;
      if (i.flow === 'call' || i.flow === 'call-indirect' || i.flow === 'jmp-indirect') {
        const imp = program.apiCalls.get(i.va);
        if (!imp) return null;
        if (found && (found.dll !== imp.dll || found.name !== imp.name || found.ordinal !== imp.ordinal)) return null;
        found = imp;
      }
    }
  }
  for (const b of f.blocks) if (b.succs.some((s) => s <= b.va)) return null;
  return found;
}
