// Recovers functions, basic blocks, the control-flow graph and the call graph of an image, within a budget.

import { InsnDecoder, type Insn, type Operand } from './decode.js';
import type { CodeImage, EntryKind, ImportRef } from './image.js';
import { ImageView } from './image.js';
import {
  BUDGET_CHECK_INTERVAL,
  DEFAULT_MAX_INSTRUCTIONS,
  JUMP_TABLE_LOOKBACK,
  MAX_FUNCTION_BLOCKS,
  MAX_FUNCTION_INSNS,
  MAX_FUNCTIONS,
  MAX_JUMP_TABLE_ENTRIES,
  MAX_SHARED_INSNS,
  MAX_THUNK_CHAIN,
  type RecoveryBudget,
} from './limits.js';
import { isNoReturnImport } from './noreturn.js';
import { resolveApis } from './resolve.js';

export interface BasicBlock {
  va: number;
  insns: Insn[];
  /** Successor blocks in this function (branch targets and fall-through). */
  succs: number[];
}

export type FunctionSource = EntryKind | 'call' | 'tail' | 'code-pointer' | 'data-pointer' | 'gap';

export interface RecoveredFunction {
  va: number;
  /** Blocks in address order; the first is the entry block. */
  blocks: BasicBlock[];
  /** How the function was found (first reason). */
  source: FunctionSource;
  /** Addresses of internal functions this one calls directly (deduplicated). */
  callees: number[];
  /** Addresses of the call and tail-jump instructions that reach this function. */
  callers: number[];
  /** Set when the function is only a jump to an import (possibly through other thunks). */
  thunk: ImportRef | null;
  /** Set when the function is a small wrapper whose one job is calling this import. */
  wrapperOf: ImportRef | null;
  /** True when the function hit a size limit and was cut. */
  truncated: boolean;
  /** True when no path returns (every path ends in a no-return call, a trap or a tail call into one). */
  noReturn: boolean;
}

export interface Program {
  view: ImageView;
  /** Functions by address, in ascending address order. */
  functions: Map<number, RecoveredFunction>;
  /** The import each resolved call or jump instruction reaches (by instruction address). */
  apiCalls: Map<number, ImportRef>;
  /** Whether the budget stopped recovery early, and why. */
  partial: boolean;
  partialReason?: string;
  instructionCount: number;
}

interface Seed {
  va: number;
  source: FunctionSource;
}

/** Per-section map of which bytes hold the start of a recovered instruction (1) or its other bytes (2). */
class Coverage {
  private readonly maps = new Map<number, Uint8Array>();
  private lastStart = -1;
  private lastEnd = -1;
  private lastMap: Uint8Array | null = null;
  constructor(private readonly view: ImageView) {}
  /** The map of the executable section holding `va` (with its start), cached for runs of nearby addresses. */
  mapOf(va: number): Uint8Array | null {
    if (va >= this.lastStart && va < this.lastEnd) return this.lastMap;
    const s = this.view.sectionAt(va);
    if (!s || !s.executable) return null;
    let m = this.maps.get(s.va);
    if (!m) this.maps.set(s.va, (m = new Uint8Array(s.data.length)));
    this.lastStart = s.va;
    this.lastEnd = s.va + m.length;
    this.lastMap = m;
    return va < this.lastEnd ? m : null;
  }
  mark(insn: Insn): void {
    const m = this.mapOf(insn.va);
    if (!m) return;
    const off = insn.va - this.lastStart;
    m[off] = 1;
    for (let k = 1; k < insn.size && off + k < m.length; k++) if (m[off + k] === 0) m[off + k] = 2;
  }
  at(va: number): number {
    const m = this.mapOf(va);
    return m ? m[va - this.lastStart]! : 0;
  }
}

class BudgetExceeded extends Error {}

/**
 * Recursive-descent disassembly from every known entry, then from call targets, code references and (with a
 * plausibility check) code pointers in data. Never throws on malformed input; stops at the budget and says so.
 */
export function recoverProgram(image: CodeImage, budget: RecoveryBudget = {}): Program {
  const view = new ImageView(image);
  const decoder = new InsnDecoder(view);
  try {
    return new Recovery(view, decoder, budget).run();
  } finally {
    decoder.dispose();
  }
}

class Recovery {
  private readonly functions = new Map<number, RecoveredFunction>();
  private readonly queued = new Set<number>();
  private readonly queue: Seed[] = [];
  private readonly coverage: Coverage;
  private readonly pdataEnd = new Map<number, number>();
  private readonly thunkMemo = new Map<number, ImportRef | null>();
  private readonly now: () => number;
  private readonly maxInsns: number;
  private readonly maxFunctions: number;
  private partialReason: string | undefined;
  private nextCheck = BUDGET_CHECK_INTERVAL;

  constructor(
    private readonly view: ImageView,
    private readonly decoder: InsnDecoder,
    private readonly budget: RecoveryBudget,
  ) {
    this.coverage = new Coverage(view);
    this.now = budget.now ?? (() => performance.now());
    this.maxInsns = budget.maxInstructions ?? DEFAULT_MAX_INSTRUCTIONS;
    this.maxFunctions = Math.min(budget.maxFunctions ?? MAX_FUNCTIONS, MAX_FUNCTIONS);
    // .pdata ranges bound their functions: a jump out of the range is a tail call.
    for (const e of view.image.entryPoints) if (e.kind === 'pdata' && e.end !== undefined) this.pdataEnd.set(e.va, e.end);
  }

  run(): Program {
    const img = this.view.image;
    for (const e of img.entryPoints) {
      this.enqueue(e.va, e.kind);
    }
    try {
      this.drain();
      // Code pointers found in data are weaker evidence: only after everything reachable has been explored.
      for (const va of this.dataPointerCandidates()) if (this.plausibleStart(va)) this.enqueue(va, 'data-pointer');
      this.drain();
      // Then functions nothing references (dead code, or reached only through computed pointers): prologues in gaps.
      for (let round = 0; round < 4; round++) {
        const before = this.functions.size;
        for (const va of this.gapCandidates()) this.enqueue(va, 'gap');
        this.drain();
        if (this.functions.size === before) break;
      }
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
    }
    const sorted = new Map([...this.functions.entries()].sort((a, b) => a[0] - b[0]));
    const program: Program = {
      view: this.view,
      functions: sorted,
      apiCalls: new Map(),
      partial: this.partialReason !== undefined,
      instructionCount: this.decoder.decoded,
    };
    if (this.partialReason !== undefined) program.partialReason = this.partialReason;
    this.linkCallGraph(program);
    resolveApis(program, (va) => this.thunkImport(va, 0));
    return program;
  }

  private enqueue(va: number, source: FunctionSource): void {
    if (this.queued.has(va) || !this.view.isExecutable(va)) return;
    this.queued.add(va);
    this.queue.push({ va, source });
  }

  private checkBudget(): void {
    if (this.decoder.decoded < this.nextCheck) return;
    this.nextCheck = this.decoder.decoded + BUDGET_CHECK_INTERVAL;
    if (this.decoder.decoded > this.maxInsns) this.stop(`instruction budget of ${this.maxInsns} reached`);
    if (this.budget.deadline !== undefined && this.now() > this.budget.deadline) this.stop('time budget reached');
  }

  private stop(reason: string): never {
    this.partialReason = reason;
    throw new BudgetExceeded(reason);
  }

  private drain(): void {
    for (let qi = 0; qi < this.queue.length; qi++) {
      const seed = this.queue[qi]!;
      if (this.functions.has(seed.va)) continue;
      if (this.functions.size >= this.maxFunctions) this.stop(`function budget of ${this.maxFunctions} reached`);
      if (this.budget.deadline !== undefined && this.now() > this.budget.deadline) this.stop('time budget reached');
      // A call target in the middle of already recovered code is usually a mis-decode: keep the first reading.
      if (seed.source !== 'call' && this.coverage.at(seed.va) === 2) continue;
      this.explore(seed);
    }
    this.queue.length = 0;
  }

  /** Follows `jmp [iat]` (and chains of direct jumps to one) from `va`; the import it ends at, or null. */
  thunkImport(va: number, depth: number): ImportRef | null {
    const memo = this.thunkMemo.get(va);
    if (memo !== undefined) return memo;
    if (depth > MAX_THUNK_CHAIN) return null;
    this.thunkMemo.set(va, null);
    let insn = this.decoder.decodeAt(va);
    // An ENDBR64/ENDBR32 landing pad in front of the jump is skipped, as capa does.
    if (insn && (insn.mnem === 'endbr64' || insn.mnem === 'endbr32')) insn = this.decoder.decodeAt(va + insn.size);
    let result: ImportRef | null = null;
    if (insn && insn.flow === 'jmp-indirect') {
      const op = insn.ops[0];
      if (op && op.type === 'mem' && op.absolute !== null && !op.index) result = this.view.image.imports.get(op.absolute) ?? null;
    } else if (insn && insn.flow === 'jmp') {
      const op = insn.ops[0];
      if (op && op.type === 'branch') result = this.thunkImport(op.target, depth + 1);
    }
    this.thunkMemo.set(va, result);
    return result;
  }

  private importOfOperand(op: Operand | undefined): ImportRef | null {
    if (!op || op.type !== 'mem' || op.absolute === null || op.index) return null;
    return this.view.image.imports.get(op.absolute) ?? null;
  }

  /**
   * Whether `target` belongs to another function: a known function start, or (on x64) outside this function's
   * .pdata range. Jumps there are tail calls, and falling through into it ends this function.
   */
  private isTailTarget(fnStart: number, target: number, end = this.pdataEnd.get(fnStart)): boolean {
    if (target === fnStart) return false;
    if (end !== undefined && end > fnStart && (target < fnStart || target >= end)) return true;
    return this.queued.has(target);
  }

  private explore(seed: Seed): void {
    const start = seed.va;
    const end = this.pdataEnd.get(start);
    const insns = new Map<number, Insn>();
    const leaders = new Set<number>([start]);
    const work: number[] = [start];
    const callees = new Set<number>();
    const cut = new Set<number>();
    const tables = new Map<number, number[]>();
    let truncated = false;
    let returns = false;
    let shared = 0;
    for (let wi = 0; wi < work.length; wi++) {
      let va = work[wi]!;
      if (insns.has(va)) continue;
      for (;;) {
        if (insns.has(va)) {
          leaders.add(va);
          break;
        }
        if (insns.size >= MAX_FUNCTION_INSNS) {
          truncated = true;
          break;
        }
        // Code another function already owns: a little is normal (shared tails); a lot means this "function" is
        // running through its neighbours, which on hostile input would make recovery quadratic.
        if (this.coverage.at(va) === 1 && ++shared > MAX_SHARED_INSNS) {
          truncated = true;
          break;
        }
        this.checkBudget();
        const insn = this.decoder.decodeAt(va);
        if (!insn) break;
        if (insn.flow === 'invalid') break;
        insns.set(va, insn);
        const next = va + insn.size;
        const op0 = insn.ops[0];
        let stop = false;
        switch (insn.flow) {
          case 'jcc':
            if (op0?.type === 'branch' && this.isTailTarget(start, op0.target, end)) {
              this.enqueue(op0.target, 'tail');
              returns = true;
            } else if (op0?.type === 'branch' && this.view.isExecutable(op0.target)) {
              leaders.add(op0.target);
              work.push(op0.target);
            }
            leaders.add(next);
            break;
          case 'jmp':
            stop = true;
            if (op0?.type === 'branch') {
              const t = op0.target;
              if (this.isTailTarget(start, t, end) || this.thunkImport(t, 0)) {
                this.enqueue(t, 'tail');
                returns = true;
              } else if (this.view.isExecutable(t)) {
                leaders.add(t);
                work.push(t);
              }
            }
            break;
          case 'jmp-indirect': {
            stop = true;
            const imp = this.importOfOperand(op0);
            if (imp) {
              returns = returns || !isNoReturnImport(imp);
              break;
            }
            const targets = this.jumpTable(insn, insns);
            if (targets.length === 0) returns = true;
            else tables.set(insn.va, targets);
            for (const t of targets) {
              leaders.add(t);
              work.push(t);
            }
            break;
          }
          case 'ret':
            returns = true;
            stop = true;
            break;
          case 'call': {
            if (op0?.type === 'branch') {
              const t = op0.target;
              const imp = this.thunkImport(t, 0);
              if (imp) {
                if (isNoReturnImport(imp)) stop = true;
              } else {
                if (t !== start) callees.add(t);
                this.enqueue(t, 'call');
                const f = this.functions.get(t);
                if (f && f.noReturn) stop = true;
              }
            }
            break;
          }
          case 'call-indirect': {
            const imp = this.importOfOperand(op0);
            if (imp && isNoReturnImport(imp)) stop = true;
            break;
          }
          case 'int':
            // int3 is padding or a breakpoint; int 29h is __fastfail. Either way nothing follows.
            if (insn.mnem === 'int3' || (insn.mnem === 'int' && op0?.type === 'imm' && op0.value === 0x29n)) stop = true;
            break;
          default:
            if (insn.mnem === 'ud2' || insn.mnem === 'hlt') stop = true;
            break;
        }
        this.scanCodeReferences(insn);
        // Falling through into another function's first byte ends this one there.
        if (!stop && insn.flow !== 'jcc' && this.isTailTarget(start, next, end)) stop = true;
        if (stop) {
          cut.add(va);
          break;
        }
        if (insn.flow === 'jcc' && this.isTailTarget(start, next, end)) {
          cut.add(va);
          break;
        }
        va = next;
      }
      if (truncated) break;
    }
    for (const insn of insns.values()) this.coverage.mark(insn);
    const blocks = buildBlocks(start, insns, leaders, cut, tables);
    if (blocks.length > MAX_FUNCTION_BLOCKS) {
      blocks.length = MAX_FUNCTION_BLOCKS;
      truncated = true;
    }
    const first = blocks[0]?.insns[0];
    const thunk = first && (first.flow === 'jmp-indirect' || first.flow === 'jmp') ? this.thunkImport(start, 0) : null;
    this.functions.set(start, {
      va: start,
      blocks,
      source: seed.source,
      callees: [...callees].sort((a, b) => a - b),
      callers: [],
      thunk,
      wrapperOf: null,
      truncated,
      noReturn: !returns && !truncated && blocks.length > 0,
    });
  }

  /** Immediates and RIP-relative addresses that point at plausible code are function candidates (callbacks, thread starts). */
  private scanCodeReferences(insn: Insn): void {
    if (insn.flow !== 'next') return;
    for (const op of insn.ops) {
      let v: number | null = null;
      if (op.type === 'imm' && op.bits >= 32) v = Number(op.value);
      else if (op.type === 'mem' && insn.mnem === 'lea' && op.absolute !== null) v = op.absolute;
      if (v === null || this.queued.has(v) || !this.view.isExecutable(v)) continue;
      if (this.plausibleStart(v)) this.enqueue(v, 'code-pointer');
    }
  }

  /**
   * A conservative test for "a function starts here": not inside recovered code, after padding or at a 16-byte
   * boundary, and the first instructions decode to something other than padding or garbage.
   */
  private plausibleStart(va: number): boolean {
    if (!this.view.isExecutable(va) || this.coverage.at(va) !== 0) return false;
    const prev = this.view.readU8(va - 1);
    const aligned = va % 16 === 0;
    if (!aligned && !(prev === 0xcc || prev === 0x90 || prev === 0xc3 || prev === 0x00)) return false;
    this.checkBudget();
    let a = va;
    for (let k = 0; k < 3; k++) {
      const insn = this.decoder.decodeAt(a);
      if (!insn || insn.flow === 'invalid' || insn.mnem === 'int3') return false;
      if (k === 0 && insn.mnem === 'nop') return false;
      if (insn.flow !== 'next') return true;
      a += insn.size;
    }
    return true;
  }

  /**
   * Starts of functions in code not yet recovered: at a 16-byte boundary or right after padding, a typical
   * prologue (push of a register, stack allocation, register spill, hot-patch `mov edi, edi`, ENDBR) that decodes.
   */
  private *gapCandidates(): Generator<number> {
    for (const s of this.view.image.sections) {
      if (!s.executable) continue;
      const d = s.data;
      for (let off = 0; off < d.length; off++) {
        const va = s.va + off;
        const cov = this.coverage.mapOf(va);
        if (!cov || cov[off] !== 0) continue;
        const b = d[off]!;
        if (b === 0xcc || b === 0x90 || b === 0x00) continue;
        if (this.queued.has(va)) continue;
        const prev = off > 0 ? d[off - 1]! : 0xcc;
        const afterPadding = prev === 0xcc || prev === 0x90 || prev === 0xc3 || (off > 0 && cov[off - 1] !== 0);
        if (va % 16 !== 0 && !afterPadding) continue;
        this.checkBudget();
        const insn = this.decoder.decodeAt(va);
        if (!insn || !isPrologue(insn)) continue;
        if (this.plausibleStart(va)) yield va;
      }
    }
  }

  /** Pointer-sized values in data (relocated slots when the file has relocations) that point into code. */
  private *dataPointerCandidates(): Generator<number> {
    const img = this.view.image;
    const ps = this.view.pointerSize;
    if (img.relocatedSlots) {
      for (const slot of img.relocatedSlots) {
        const s = this.view.sectionAt(slot);
        if (!s || s.executable) continue;
        const v = this.view.readPointer(slot);
        if (v !== null && this.view.isExecutable(v)) yield v;
      }
      return;
    }
    for (const s of img.sections) {
      if (s.executable) continue;
      const d = s.data;
      const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
      for (let off = 0; off + ps <= d.length; off += ps) {
        let v: number;
        if (ps === 4) v = dv.getUint32(off, true);
        else {
          const hi = dv.getUint32(off + 4, true);
          if (hi >= 0x200000) continue;
          v = hi * 0x100000000 + dv.getUint32(off, true);
        }
        if (v !== 0 && this.view.isExecutable(v)) yield v;
      }
    }
  }

  /**
   * Targets of a switch jump table, only when the table's bound is found (a `cmp idx, N` just before), so a
   * table is never read past its end. Handles `jmp [idx*4+table]` (x86) and GCC's x64
   * `lea base,[rip+T]; movsxd r,[base+idx*4]; add r,base; jmp r`.
   */
  private jumpTable(jmp: Insn, insns: Map<number, Insn>): number[] {
    const recent = [...insns.values()].filter((i) => i.va < jmp.va && i.va >= jmp.va - 96).sort((a, b) => b.va - a.va).slice(0, JUMP_TABLE_LOOKBACK);
    const bound = (): number | null => {
      for (const i of recent) {
        if (i.mnem === 'cmp' && i.ops[1]?.type === 'imm') {
          const n = Number(i.ops[1].value) + 1;
          return n > 0 && n <= MAX_JUMP_TABLE_ENTRIES ? n : null;
        }
      }
      return null;
    };
    const op = jmp.ops[0];
    const out: number[] = [];
    if (op?.type === 'mem' && !op.base && op.index && op.scale === this.view.pointerSize) {
      const n = bound();
      if (n === null) return out;
      const table = Number(BigInt.asUintN(this.view.bitness, op.disp));
      for (let k = 0; k < n; k++) {
        const t = this.view.readPointer(table + k * this.view.pointerSize);
        if (t === null || !this.view.isExecutable(t)) break;
        out.push(t);
      }
      return out;
    }
    if (op?.type === 'reg') {
      // add r, base ; movsxd r, [base + idx*4] ; lea base, [rip + T]
      const add = recent.find((i) => i.mnem === 'add' && i.ops[0]?.type === 'reg' && i.ops[0].reg === op.reg && i.ops[1]?.type === 'reg');
      if (!add || add.ops[1]?.type !== 'reg') return out;
      const baseReg = add.ops[1].reg;
      const load = recent.find((i) => i.va < add.va && i.mnem === 'movsxd' && i.ops[1]?.type === 'mem' && i.ops[1].base === baseReg && i.ops[1].scale === 4);
      const lea = recent.find((i) => i.mnem === 'lea' && i.ops[0]?.type === 'reg' && i.ops[0].reg === baseReg && i.ops[1]?.type === 'mem' && i.ops[1].absolute !== null);
      if (!load || !lea || lea.ops[1]?.type !== 'mem' || lea.ops[1].absolute === null) return out;
      const n = bound();
      if (n === null) return out;
      const table = lea.ops[1].absolute;
      for (let k = 0; k < n; k++) {
        const rel = this.view.readU32(table + k * 4);
        if (rel === null) break;
        const t = table + (rel | 0);
        if (!this.view.isExecutable(t)) break;
        out.push(t);
      }
    }
    return out;
  }

  private linkCallGraph(program: Program): void {
    for (const f of program.functions.values()) {
      for (const b of f.blocks) {
        for (const i of b.insns) {
          if (i.flow !== 'call' && i.flow !== 'jmp') continue;
          const op = i.ops[0];
          if (op?.type !== 'branch') continue;
          const callee = program.functions.get(op.target);
          if (callee && (i.flow === 'call' || op.target !== f.va)) callee.callers.push(i.va);
        }
      }
    }
  }
}

/** The first instruction of a typical function: push reg, sub esp/rsp, a spill of an argument register, `mov edi, edi`, ENDBR. */
function isPrologue(i: Insn): boolean {
  const [a, b] = i.ops;
  if (i.mnem === 'push' && a?.type === 'reg') return true;
  if (i.mnem === 'sub' && a?.type === 'reg' && (a.reg === 'rsp' || a.reg === 'esp') && b?.type === 'imm') return true;
  if (i.mnem === 'mov' && a?.type === 'mem' && (a.base === 'rsp' || a.base === 'esp') && b?.type === 'reg') return true;
  if (i.mnem === 'mov' && a?.type === 'reg' && a.reg === 'edi' && b?.type === 'reg' && b.reg === 'edi') return true;
  if (i.mnem === 'mov' && a?.type === 'reg' && b?.type === 'mem' && (b.base === 'rsp' || b.base === 'esp')) return true;
  return i.mnem === 'endbr64' || i.mnem === 'endbr32';
}

/** Splits a function's instructions into basic blocks at leaders and after control transfers; links successors. */
function buildBlocks(start: number, insns: Map<number, Insn>, leaders: Set<number>, cut: Set<number>, tables: Map<number, number[]>): BasicBlock[] {
  const vas = [...insns.keys()].sort((a, b) => a - b);
  const blocks: BasicBlock[] = [];
  let cur: BasicBlock | null = null;
  let prevEnd = -1;
  let prevEnds = true;
  for (const va of vas) {
    const insn = insns.get(va)!;
    if (!cur || leaders.has(va) || va !== prevEnd || prevEnds) {
      cur = { va, insns: [], succs: [] };
      blocks.push(cur);
    }
    cur.insns.push(insn);
    prevEnd = va + insn.size;
    prevEnds = cut.has(va) || (insn.flow !== 'next' && insn.flow !== 'call' && insn.flow !== 'call-indirect' && insn.flow !== 'other');
  }
  const starts = new Set(blocks.map((b) => b.va));
  for (const b of blocks) {
    const last = b.insns[b.insns.length - 1]!;
    const next = last.va + last.size;
    const op = last.ops[0];
    const succ = new Set<number>();
    if ((last.flow === 'jcc' || last.flow === 'jmp') && op?.type === 'branch' && starts.has(op.target)) succ.add(op.target);
    for (const t of tables.get(last.va) ?? []) if (starts.has(t)) succ.add(t);
    if (!cut.has(last.va) && last.flow !== 'jmp' && last.flow !== 'jmp-indirect' && last.flow !== 'ret' && starts.has(next)) succ.add(next);
    b.succs = [...succ];
  }
  blocks.sort((a, b) => (a.va === start ? -1 : b.va === start ? 1 : a.va - b.va));
  return blocks;
}
