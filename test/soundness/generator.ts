/**
 * Random small notebooks for the soundness test: assignments, aliases (plain, containers built
 * from names, members, numpy views), copies, mutations (methods, subscripts, `+=`, loops over
 * containers), notebook functions that mutate a parameter, a global or call each other, calls in
 * loops, iterators consumed by next()/list(), and file appends/reads through path variables.
 *
 * Every notebook runs without error in any history the generator makes: names keep one type, are
 * never deleted, containers never shrink, and a cell only uses names bound by cells above it. The
 * history is top to bottom, then a few re-runs; the edit changes one literal of the cell or adds
 * one statement valid where the cell stands. Deterministic for a seed (mulberry32), so a failing
 * seed reproduces.
 */
import type { SoundnessCase } from './cases';
import { mulberry32 } from '../../src/core/seededRandom';

type Type = 'int' | 'list' | 'nested' | 'dict' | 'arr' | 'iter' | 'fnparam' | 'fnglobal' | 'path';

interface Env {
  names: Map<string, Type>;
  /** Suffix of the next fresh name. */
  counter: number;
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** A statement with one integer literal the edit may change (`lit` is null when it has none). */
interface Statement {
  code: (lit: number) => string;
  lit: number | null;
  /** Names it binds, with their types. */
  binds: [string, Type][];
}

const PREFIX: Record<Type, string> = { int: 'n', list: 'xs', nested: 'rows', dict: 'cfg', arr: 'arr', iter: 'it', fnparam: 'grow', fnglobal: 'bump', path: 'path' };

function namesOf(env: Env, ...types: Type[]): string[] {
  return [...env.names].filter(([, t]) => types.includes(t)).map(([n]) => n);
}

function fresh(env: Env, type: Type): string {
  return `${PREFIX[type]}${env.counter++}`;
}

/** One random statement valid in `env` (which it does not change). */
function statement(r: Random, env: Env): Statement {
  const ints = namesOf(env, 'int');
  const lists = namesOf(env, 'list');
  const nested = namesOf(env, 'nested');
  const dicts = namesOf(env, 'dict');
  const arrs = namesOf(env, 'arr');
  const iters = namesOf(env, 'iter');
  const fnparams = namesOf(env, 'fnparam');
  const fnglobals = namesOf(env, 'fnglobal');
  const paths = namesOf(env, 'path');
  const lit = r.int(1, 9);
  const options: (() => Statement)[] = [];
  const def = (type: Type, code: (name: string, lit: number) => string, hasLit = true) => () => {
    const name = fresh(env, type);
    return { code: (l: number) => code(name, l), lit: hasLit ? lit : null, binds: [[name, type]] as [string, Type][] };
  };
  const plain = (code: (lit: number) => string, hasLit = true): (() => Statement) => () => ({ code, lit: hasLit ? lit : null, binds: [] });
  // Fresh values; once a few names exist, statements over them are preferred (aliasing and
  // mutation through aliases is what the test is after).
  if (env.names.size < 4 || r.chance(0.3)) {
    options.push(def('int', (n, l) => `${n} = ${l}`));
    options.push(def('list', (n, l) => `${n} = [${l}, ${l + 1}]`));
    options.push(def('list', (n, l) => `${n} = [${l}, ${l + 1}]`));
    options.push(def('arr', (n, l) => `${n} = np.arange(4) * ${l}`));
    options.push(def('path', (n, l) => `${n} = "f${l % 3}.txt"`));
  }
  if (ints.length) {
    const x = r.pick(ints);
    options.push(def('int', (n, l) => `${n} = ${x} + ${l}`));
    const rebound = r.pick(ints);
    options.push(plain((l) => `${rebound} = ${rebound} * ${l}`));
  }
  if (lists.length) {
    const x = r.pick(lists);
    const y = r.pick(lists);
    options.push(def('list', (n) => `${n} = ${x}`, false));
    options.push(def('list', (n) => `${n} = ${x}`, false));
    const copied = r.pick([`${x}.copy()`, `list(${x})`, `${x}[:]`]);
    options.push(def('list', (n) => `${n} = ${copied}`, false));
    options.push(def('nested', (n) => `${n} = [${x}, ${y}]`, false));
    options.push(def('dict', (n, l) => `${n} = {"k": ${x}, "v": ${l}}`));
    const reducer = r.pick(['len', 'sum', 'max']);
    options.push(def('int', (n) => `${n} = ${reducer}(${x})`, false));
    const lazy = r.chance(0.5);
    options.push(def('iter', (n) => (lazy ? `${n} = iter(${x})` : `${n} = (v * 2 for v in ${x})`), false));
    options.push(plain((l) => `${x}.append(${l})`));
    const other = r.pick(lists);
    const shown = r.pick(lists);
    options.push(plain((l) => `${other}.append(${l})`));
    options.push(plain(() => `print(${shown})`, false));
    options.push(plain((l) => `${x}[0] = ${l}`));
    options.push(plain((l) => `${x} += [${l}]`));
    const method = r.pick(['sort', 'reverse']);
    options.push(plain(() => `${x}.${method}()`, false));
    options.push(def('fnparam', (n, l) => `def ${n}(p):\n    p.append(${l})`));
    options.push(def('fnglobal', (n, l) => `def ${n}():\n    ${x}.append(${l})`));
    options.push(plain(() => `print(${x})`, false));
    if (paths.length) {
      const p = r.pick(paths);
      options.push(plain(() => `with open(${p}, "a") as fh:\n    fh.write(str(${x}))`, false));
    }
  }
  if (nested.length) {
    const x = r.pick(nested);
    options.push(plain((l) => `for row in ${x}:\n    row.append(${l})`));
    const row = r.int(0, 1);
    options.push(plain((l) => `${x}[${row}].append(${l})`));
    const copied = r.pick([`${x}.copy()`, `copy.deepcopy(${x})`]);
    options.push(def('nested', (n) => `${n} = ${copied}`, false));
    options.push(plain(() => `print(${x})`, false));
  }
  if (dicts.length) {
    const x = r.pick(dicts);
    options.push(plain((l) => `${x}["k"].append(${l})`));
    options.push(plain((l) => `${x}["v"] = ${l}`));
    options.push(plain((l) => `for key, val in ${x}.items():\n    if isinstance(val, list):\n        val.append(${l})`));
    options.push(def('list', (n) => `${n} = ${x}["k"]`, false));
    options.push(plain(() => `print(${x})`, false));
  }
  if (arrs.length) {
    const x = r.pick(arrs);
    // Every array has 4 elements: views that keep the size, and copies.
    const derived = r.pick([`${x}[::-1]`, `${x}.reshape(2, 2).ravel()`, `${x}[:]`, `${x}.copy()`, `np.array(${x})`, `${x} * 2`]);
    options.push(def('arr', (n) => `${n} = ${derived}`, false));
    options.push(plain((l) => `${x}[0] = ${l}`));
    options.push(plain((l) => `${x} += ${l}`));
    options.push(plain((l) => `np.multiply(${x}, ${l}, out=${x})`));
    options.push(def('int', (n) => `${n} = int(${x}.sum())`, false));
    options.push(plain(() => `print(${x}.tolist())`, false));
  }
  if (iters.length) {
    const x = r.pick(iters);
    options.push(plain(() => `next(${x}, None)`, false));
    options.push(def('int', (n) => `${n} = len(list(${x}))`, false));
    options.push(plain(() => `for v in ${x}:\n    break`, false));
  }
  if (fnparams.length && lists.length) {
    const f = r.pick(fnparams);
    const x = r.pick(lists);
    options.push(plain(() => `${f}(${x})`, false));
    options.push(plain((l) => `for _ in range(${l % 3 + 1}):\n    ${f}(${x})`));
    options.push(def('fnparam', (n) => `def ${n}(q):\n    ${f}(q)`, false));
  }
  if (fnglobals.length) {
    const f = r.pick(fnglobals);
    options.push(plain(() => `${f}()`, false));
    options.push(plain((l) => `for _ in range(${l % 3 + 1}):\n    ${f}()`));
  }
  if (paths.length) {
    const p = r.pick(paths);
    options.push(plain((l) => `with open(${p}, "a") as fh:\n    fh.write("${l}")`));
    options.push(def('int', (n) => `${n} = len(open(${p}).read()) if os.path.exists(${p}) else 0`, false));
  }
  if (ints.length) {
    const x = r.pick(ints);
    options.push(plain(() => `print(${x})`, false));
  }
  return r.pick(options)();
}

function apply(env: Env, s: Statement): void {
  for (const [name, type] of s.binds) env.names.set(name, type);
}

function render(statements: readonly Statement[], changed?: { index: number; lit: number }): string {
  return statements.map((s, i) => s.code(changed && changed.index === i ? changed.lit : (s.lit ?? 0))).join('\n');
}

export function generateCase(seed: number): SoundnessCase {
  const r = new Random(seed);
  const env: Env = { names: new Map(), counter: 0 };
  const cellCount = r.int(4, 7);
  const cells: Statement[][] = [];
  const envBefore: Env[] = [];
  for (let i = 0; i < cellCount; i++) {
    envBefore.push({ names: new Map(env.names), counter: env.counter });
    const statements: Statement[] = [];
    for (let k = r.int(1, 3); k > 0; k--) {
      const s = statement(r, env);
      apply(env, s);
      statements.push(s);
    }
    cells.push(statements);
  }
  const history: number[] = cells.map((_, i) => i);
  for (let k = r.int(0, 3); k > 0; k--) history.push(r.int(0, cellCount - 1));
  const target = r.int(0, cellCount - 1);
  const statements = cells[target];
  const withLit = statements.map((s, i) => (s.lit === null ? -1 : i)).filter((i) => i >= 0);
  let code: string;
  if (withLit.length && r.chance(0.6)) {
    const index = r.pick(withLit);
    const old = statements[index].lit!;
    code = render(statements, { index, lit: old === 9 ? 1 : old + 1 });
  } else {
    // A new statement valid where the cell first ran; its new names come after every other name.
    const scratch: Env = { names: new Map(envBefore[target].names), counter: env.counter + 100 };
    for (const s of statements) apply(scratch, s);
    code = `${render(statements)}\n${statement(r, scratch).code(r.int(1, 9))}`;
  }
  const rendered = cells.map((c) => render(c));
  rendered[0] = `import copy, os\nimport numpy as np\n${rendered[0]}`;
  if (target === 0) code = `import copy, os\nimport numpy as np\n${code}`;
  return { name: `random/s${seed}`, kind: 'random', cells: rendered, history, edit: { cell: target, code } };
}
