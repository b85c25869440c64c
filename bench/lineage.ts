/**
 * Lineage timing on synthetic execution logs: graph build, backward slice (cell and operation
 * granularity) and dependents at 50, 200, 1,000 and 5,000 executions, with the growth factor
 * between sizes. Run alone: `npm run bench -- lineage`. Target: a slice over 5,000 executions ≤ 20 ms.
 */
import { performance } from 'node:perf_hooks';
import { emptyFacts, type CellFacts, type Operation } from '../src/core/analysis/facts';
import { backwardSlice, buildLineageGraph, dependents, type ExecutionInput } from '../src/core/lineage';

/** A log where each execution defines v<i> from two earlier variables, re-runs some cells, mutates a list. */
export function syntheticLog(size: number): { executions: ExecutionInput[]; facts: Map<string, CellFacts> } {
  const executions: ExecutionInput[] = [];
  const facts = new Map<string, CellFacts>();
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < size; i++) {
    const a = `v${Math.max(0, i - 1)}`;
    const b = `v${Math.floor(rnd() * Math.max(1, i))}`;
    const ops: Operation[] = [
      operation(0, `v${i} = f(${a}, ${b})`, [`v${i}`], [a, b], []),
      operation(1, `tmp = ${i}`, ['tmp'], [], []),
      operation(2, `acc.append(v${i})`, [], ['acc', `v${i}`], ['acc']),
    ];
    // As the Python analyser says it: an unknown call's result may share its arguments (one long
    // alias chain for the may-alias analysis), and the list holds every v<i>.
    ops[0].flows = { [`v${i}`]: { share: [a, b], copy: [], contains: [], calls: ['f'] } };
    ops[2].stores = { acc: [`v${i}`] };
    ops[2].outerMutates = ['acc'];
    const code = ops.map((op) => op.code).join('\n');
    const id = `e${i}`;
    executions.push({ id, cellId: `c${i % Math.max(1, Math.floor(size / 2))}`, cellIndex: i % Math.max(1, Math.floor(size / 2)), code, executionCount: i + 1, success: true });
    facts.set(code, {
      ...emptyFacts('python'),
      defines: [`v${i}`, 'tmp'],
      uses: [...new Set([a, b, 'acc'])],
      mutates: ['acc'],
      operations: ops,
    });
  }
  return { executions, facts };
}

function operation(index: number, code: string, defines: string[], uses: string[], mutates: string[]): Operation {
  return {
    index,
    kind: mutates.length > 0 ? 'expression' : 'assign',
    span: { startLine: index + 1, startColumn: 0, endLine: index + 1, endColumn: code.length },
    code,
    defines,
    uses,
    mutates,
    deletes: [],
    calls: [],
  };
}

function median(run: () => void, repeats: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y)[Math.floor(times.length / 2)];
}

export function benchLineage(sizes = [50, 200, 1000, 5000]): void {
  const rows: { size: number; build: number; slice: number; operations: number; dependents: number; sliceLength: number }[] = [];
  for (const size of sizes) {
    const { executions, facts } = syntheticLog(size);
    const factsOf = (e: ExecutionInput) => facts.get(e.code)!;
    const graph = buildLineageGraph(executions, factsOf);
    const last = `v${size - 1}`;
    rows.push({
      size,
      build: median(() => buildLineageGraph(executions, factsOf), 5),
      slice: median(() => backwardSlice(graph, last), 11),
      operations: median(() => backwardSlice(graph, last, { granularity: 'operation' }), 11),
      dependents: median(() => dependents(graph, { cellId: 'c0' }), 11),
      sliceLength: backwardSlice(graph, last).executions.length,
    });
  }
  const fmt = (ms: number) => `${ms.toFixed(2)} ms`.padStart(10);
  console.log('executions  build        slice(cell)  slice(op)    dependents   slice size  growth(slice)');
  rows.forEach((row, i) => {
    const growth = i === 0 ? '' : `×${(row.slice / rows[i - 1].slice).toFixed(1)} for ×${(row.size / rows[i - 1].size).toFixed(0)}`;
    console.log(
      `${String(row.size).padStart(10)}  ${fmt(row.build)}  ${fmt(row.slice)}  ${fmt(row.operations)}  ${fmt(row.dependents)}  ${String(row.sliceLength).padStart(10)}  ${growth}`,
    );
  });
}
