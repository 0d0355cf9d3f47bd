// Graph facts over a function's control-flow graph: strongly connected components, loops.

import type { BasicBlock } from './recover.js';

/**
 * Sizes of the strongly connected components of a function's CFG (Tarjan's algorithm, iterative so a huge
 * function cannot overflow the stack).
 */
export function componentSizes(blocks: BasicBlock[]): number[] {
  const ids = new Map<number, number>();
  blocks.forEach((b, i) => ids.set(b.va, i));
  const n = blocks.length;
  const succ: number[][] = blocks.map((b) => b.succs.map((s) => ids.get(s)).filter((x): x is number => x !== undefined));
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const sizes: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const call: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (call.length > 0) {
      const top = call[call.length - 1]!;
      const edges = succ[top.v]!;
      if (top.i < edges.length) {
        const w = edges[top.i++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          call.push({ v: w, i: 0 });
        } else if (onStack[w]) {
          low[top.v] = Math.min(low[top.v]!, index[w]!);
        }
        continue;
      }
      if (low[top.v] === index[top.v]) {
        let size = 0;
        for (;;) {
          const w = stack.pop()!;
          onStack[w] = 0;
          size++;
          if (w === top.v) break;
        }
        sizes.push(size);
      }
      call.pop();
      const parent = call[call.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v]!, low[top.v]!);
    }
  }
  return sizes;
}

/** capa's loop characteristic: a strongly connected component of at least two blocks (a self-loop is a tight loop). */
export function hasLoop(blocks: BasicBlock[]): boolean {
  return componentSizes(blocks).some((s) => s >= 2);
}
