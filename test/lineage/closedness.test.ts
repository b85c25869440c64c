/**
 * Property test: on random histories, a cell-granularity slice replayed alone in a fresh kernel
 * reproduces the value (closed), and no execution in it can be dropped (minimal).
 *
 * The oracle is an independent little interpreter: every value is a token naming the statement
 * that made it and the tokens it read, so two runs give equal tokens exactly when they compute
 * the same thing. Histories mix definitions, mutations, `del`, failures and restarts; as in
 * Python, a run that touches an unbound name fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backwardSlice, knownVariables } from '../../src/core/lineage';
import { cell, Log, stmt, type StatementSpec } from './helpers';
import { mulberry32 } from '../../src/core/seededRandom';

const NAMES = ['a', 'b', 'c', 'd', 'e'];

interface GeneratedExecution {
  id: string;
  statements: StatementSpec[];
  success: boolean;
  restartBefore: boolean;
}

function generate(seed: number): { log: Log; executions: GeneratedExecution[] } {
  const rnd = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)];
  const log = new Log();
  const executions: GeneratedExecution[] = [];
  const length = 8 + Math.floor(rnd() * 24);
  let bound = new Set<string>();
  for (let i = 0; i < length; i++) {
    const restartBefore = i > 0 && rnd() < 0.06;
    if (restartBefore) {
      log.restart();
      bound = new Set();
    }
    const statements: StatementSpec[] = [];
    const count = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < count; k++) {
      const uses = NAMES.filter(() => rnd() < 0.2);
      const target = pick(NAMES);
      const action = rnd();
      const source = pick(NAMES);
      if (action < 0.12 && source !== target) {
        // An alias: both names hold one object, so a change through either is a change of both.
        statements.push(stmt(`${target} = ${source}`, { kind: 'assign', defines: [target], uses: [source], flows: { [target]: { share: [source], copy: [], contains: [] } } }));
      } else if (action < 0.6) statements.push(stmt(`${target} = f(${uses})`, { kind: 'assign', defines: [target], uses }));
      else if (action < 0.8) statements.push(stmt(`${target}.add(${uses})`, { uses: [target, ...uses.filter((u) => u !== target)], mutates: [target] }));
      else if (action < 0.9) statements.push(stmt(`del ${target}`, { kind: 'delete', deletes: [target] }));
      else statements.push(stmt(`print(${uses})`, { uses }));
    }
    // As in Python, reading, mutating or deleting an unbound name raises NameError: the run fails.
    const after = new Set(bound);
    let nameError = false;
    for (const s of statements) {
      if ([...(s.uses ?? []), ...(s.mutates ?? []), ...(s.deletes ?? [])].some((n) => !after.has(n))) nameError = true;
      for (const n of s.deletes ?? []) after.delete(n);
      for (const n of [...(s.defines ?? []), ...(s.mutates ?? [])]) after.add(n);
    }
    const success = !nameError && rnd() < 0.9;
    if (success) bound = after;
    const id = log.run(`c${Math.floor(rnd() * 6)}`, cell(...statements), { success });
    executions.push({ id, statements, success, restartBefore });
  }
  return { log, executions };
}

interface Trace {
  /** Tokens read by each statement of each execution, keyed by execution id. */
  reads: Map<string, string[][]>;
  /** Token of each name right after each execution, keyed by execution id. */
  after: Map<string, Map<string, string>>;
}

/**
 * Runs executions in order in a fresh kernel; restarts only where `honourRestarts` says. Names
 * refer to objects, as in Python: `b = a` binds `b` to `a`'s object, and a mutation changes the
 * object, whichever name it went through.
 */
function interpret(executions: readonly GeneratedExecution[], honourRestarts: boolean, onlyStatements?: Set<string>): Trace {
  let names = new Map<string, number>();
  const contents = new Map<number, string>();
  let objects = 0;
  const valueOf = (name: string) => {
    const object = names.get(name);
    return object === undefined ? undefined : contents.get(object);
  };
  const snapshot = () => new Map([...names.keys()].map((name) => [name, valueOf(name)!]));
  const trace: Trace = { reads: new Map(), after: new Map() };
  for (const execution of executions) {
    if (honourRestarts && execution.restartBefore) names = new Map();
    const reads: string[][] = [];
    execution.statements.forEach((s, k) => {
      if (onlyStatements && !onlyStatements.has(`${execution.id}:${k + 1}`)) return;
      const needed = [...new Set([...(s.uses ?? []), ...(s.mutates ?? []), ...(s.deletes ?? [])])];
      const tokens = needed.map((n) => `${n}=${valueOf(n) ?? '∅'}`);
      reads.push(tokens);
      if (!execution.success) return;
      const token = `${execution.id}.${k}(${tokens.join(',')})`;
      for (const n of s.deletes ?? []) names.delete(n);
      for (const n of s.mutates ?? []) contents.set(names.get(n)!, token);
      for (const n of s.defines ?? []) {
        const alias = s.flows?.[n]?.share[0];
        if (alias !== undefined) names.set(n, names.get(alias)!);
        else {
          names.set(n, objects);
          contents.set(objects++, token);
        }
      }
    });
    trace.reads.set(execution.id, reads);
    trace.after.set(execution.id, snapshot());
  }
  return trace;
}

/** Why replaying `subset` alone differs from the full run, or null when it reproduces it. */
function replayDifference(full: Trace, subset: readonly GeneratedExecution[], variable: string, target: string): string | null {
  const replay = interpret(subset, false);
  for (const execution of subset) {
    if (JSON.stringify(replay.reads.get(execution.id)) !== JSON.stringify(full.reads.get(execution.id))) {
      return `${execution.id} reads other inputs`;
    }
  }
  if (replay.after.get(target)?.get(variable) !== full.after.get(target)?.get(variable)) return `${variable} differs`;
  return null;
}

test('cell slices are closed and minimal on random histories', () => {
  let checkedSlices = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const { log, executions } = generate(seed);
    const graph = log.graph();
    const full = interpret(executions, true);
    const byId = new Map(executions.map((e) => [e.id, e]));
    for (const variable of knownVariables(graph)) {
      const slice = backwardSlice(graph, variable);
      const target = slice.targets[0].id;
      const included = slice.executions.map((e) => byId.get(e.id)!);
      const context = `seed ${seed}, ${variable}, slice ${included.map((e) => e.id)}`;
      assert.equal(replayDifference(full, included, variable, target), null, `not closed: ${context}`);
      for (const dropped of included) {
        if (dropped.id === target) continue;
        const without = included.filter((e) => e !== dropped);
        assert.notEqual(replayDifference(full, without, variable, target), null, `not minimal (${dropped.id} droppable): ${context}`);
      }
      checkedSlices++;
    }
  }
  assert.ok(checkedSlices > 300, `only ${checkedSlices} slices checked`);
});

test('operation slices replay the contributing statements with the same inputs', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const { log, executions } = generate(seed);
    const graph = log.graph();
    const full = interpret(executions, true);
    for (const variable of knownVariables(graph)) {
      const slice = backwardSlice(graph, variable, { granularity: 'operation' });
      const statements = new Set(slice.operations!.map((op) => `${op.executionId}:${op.line}`));
      const involved = executions.filter((e) => slice.operations!.some((op) => op.executionId === e.id));
      const replay = interpret(involved, false, statements);
      for (const op of slice.operations!) {
        const ordinal = [...statements].filter((s) => s.startsWith(`${op.executionId}:`)).indexOf(`${op.executionId}:${op.line}`);
        const fullReads = full.reads.get(op.executionId)![op.line - 1];
        assert.deepEqual(replay.reads.get(op.executionId)![ordinal], fullReads, `seed ${seed}, ${variable}, ${op.executionId}:${op.line}`);
      }
      const lastChange = executions
        .filter((e) => e.success)
        .flatMap((e) => e.statements.map((s, k) => ({ key: `${e.id}:${k + 1}`, s })))
        .filter(({ s }) => s.defines?.includes(variable) || s.mutates?.includes(variable))
        .pop();
      assert.ok(statements.has(lastChange!.key), `seed ${seed}, ${variable}: the last change is in the slice`);
    }
  }
});

test('a global slice starts from every successful change of the variable', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const { log, executions } = generate(seed);
    const graph = log.graph();
    for (const variable of knownVariables(graph)) {
      const expected = executions
        .filter((e) => e.success && e.statements.some((s) => s.defines?.includes(variable) || s.mutates?.includes(variable)))
        .map((e) => e.id);
      const global = backwardSlice(graph, variable, { global: true });
      assert.deepEqual(global.targets.map((t) => t.id), expected, `seed ${seed}, ${variable}`);
      const local = new Set(backwardSlice(graph, variable).executions.map((e) => e.id));
      assert.ok([...local].every((id) => global.executions.some((e) => e.id === id)));
    }
  }
});
