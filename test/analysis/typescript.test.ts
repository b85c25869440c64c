import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeScript } from '../../src/core/analysis/typescript';
import type { CellFacts } from '../../src/core/analysis/facts';

type Language = 'javascript' | 'typescript';

interface NameCase {
  name: string;
  code: string;
  language?: Language;
  defines: string[];
  uses: string[];
  mutates?: string[];
  builtinUses?: string[];
  deletes?: string[];
}

function names(facts: CellFacts) {
  return {
    defines: facts.defines,
    uses: facts.uses,
    mutates: facts.mutates,
    builtinUses: facts.builtinUses,
    deletes: facts.deletes,
  };
}

function checkNames(c: NameCase): void {
  const facts = analyzeScript(c.code, c.language ?? 'typescript');
  assert.deepEqual(facts.diagnostics, [], 'the case itself must be valid code');
  assert.deepEqual(names(facts), {
    defines: c.defines,
    uses: c.uses,
    mutates: c.mutates ?? [],
    builtinUses: c.builtinUses ?? [],
    deletes: c.deletes ?? [],
  });
}

const declarationCases: NameCase[] = [
  { name: 'const binds, its initializer is read', code: 'const x = y + 1;', defines: ['x'], uses: ['y'] },
  { name: 'let without initializer still binds', code: 'let x;\nx', defines: ['x'], uses: [] },
  { name: 'var binds at cell level', code: 'var a = b, c = a;', defines: ['a', 'c'], uses: ['b'] },
  { name: 'a name read after its definition is not a use', code: 'const a = 1;\nconst b = a * 2;', defines: ['a', 'b'], uses: [] },
  { name: 'a name read before its definition is a use', code: 'const b = a * 2;\nconst a = 1;', defines: ['b', 'a'], uses: ['a'] },
  { name: 'plain assignment defines', code: 'x = x + 1;', defines: ['x'], uses: ['x'] },
  { name: 'object destructuring with default and rest', code: 'const { a, b: c = d, ...rest } = obj;', defines: ['a', 'c', 'rest'], uses: ['obj', 'd'] },
  { name: 'array destructuring with holes, default and rest', code: 'const [first, , second = fallback, ...others] = items;', defines: ['first', 'second', 'others'], uses: ['items', 'fallback'] },
  { name: 'nested destructuring', code: 'const { p: { q: [r] } } = src;', defines: ['r'], uses: ['src'] },
  { name: 'computed key in a pattern is a use', code: 'const { [key]: value } = record;', defines: ['value'], uses: ['record', 'key'] },
  { name: 'destructuring assignment swaps', code: 'let a = 1;\n[a, b] = [b, a];', defines: ['a', 'b'], uses: ['b'] },
  { name: 'object destructuring assignment with default and rest', code: '({ p, q: r = dflt, ...others } = src);', defines: ['p', 'r', 'others'], uses: ['src', 'dflt'] },
  { name: 'shorthand default in an assignment pattern', code: '({ size = defaultSize } = options);', defines: ['size'], uses: ['options', 'defaultSize'] },
  { name: 'exported declarations are plain declarations', code: 'export const answer = compute();\nexport function f() {}', defines: ['answer', 'f'], uses: ['compute'] },
  { name: 'export of local names reads them', code: 'export { a, b as c };', defines: [], uses: ['a', 'b'] },
];

const scopeCases: NameCase[] = [
  { name: 'let inside a block does not leak', code: '{ let t = src; out = t; }', defines: ['out'], uses: ['src'] },
  { name: 'var inside a block is a cell binding, not definite', code: 'if (c) { var v = 1; }\nv', defines: ['v'], uses: ['c', 'v'] },
  { name: 'a binding in only one branch is not definite', code: 'if (c) { x = 1; }\nuse(x);', defines: ['x'], uses: ['c', 'use', 'x'] },
  { name: 'a binding in both branches is definite', code: 'if (c) { x = 1; } else { x = 2; }\nuse(x);', defines: ['x'], uses: ['c', 'use'] },
  { name: 'both arms of a conditional expression bind', code: 'c ? (y = 1) : (y = 2);\ny', defines: ['y'], uses: ['c'] },
  { name: 'a binding inside a loop body is not definite', code: 'while (more()) { last = next(); }\nlast', defines: ['last'], uses: ['more', 'next', 'last'] },
  { name: 'do-while body runs once', code: 'do { n = step(); } while (n < 3);\nn', defines: ['n'], uses: ['step'] },
  { name: 'for-of const target is loop-local', code: 'for (const item of items) { total += item; }', defines: [], uses: ['items', 'total'], mutates: ['total'] },
  { name: 'for-of over an existing name binds it', code: 'for (cur of list) {}', defines: ['cur'], uses: ['list'] },
  { name: 'for-in with var binds at cell level', code: 'for (var k in obj) { keys.push(k); }', defines: ['k'], uses: ['obj', 'keys'], mutates: ['keys'] },
  { name: 'classic for loop counter is loop-local', code: 'for (let i = 0; i < n; i++) { acc[i] = i; }', defines: [], uses: ['n', 'acc'], mutates: ['acc'] },
  { name: 'catch binding is local to the catch', code: 'try { risky(); } catch (e) { report(e); }', defines: [], uses: ['risky', 'report'] },
  { name: 'a binding inside try is not definite', code: 'try { data = load(); } catch { data = null; }\ndata', defines: ['data'], uses: ['load', 'data'] },
  { name: 'switch cases are branches with one block scope', code: 'switch (mode) { case A: { const z = 1; r = z; break; } default: r = 0; }', defines: ['r'], uses: ['mode', 'A'] },
  { name: 'labels and break/continue targets are not names', code: 'outer: for (const row of rows) { for (const v of row) { if (v) continue outer; } }', defines: [], uses: ['rows'] },
  { name: 'right side of && is a branch', code: 'ok && (val = 1);\nval', defines: ['val'], uses: ['ok', 'val'] },
  { name: 'a hoisted function is callable before its declaration', code: 'const y = twice(3);\nfunction twice(n) { return 2 * n; }', defines: ['y', 'twice'], uses: [] },
];

const expressionCases: NameCase[] = [
  { name: 'template literal substitutions are uses', code: 'const label = `${prefix}-${count + 1}`;', defines: ['label'], uses: ['prefix', 'count'] },
  { name: 'shorthand property reads the name', code: 'const o = { a, b: 1, [k]: v, ...rest };', defines: ['o'], uses: ['a', 'k', 'v', 'rest'] },
  { name: 'property names are not uses', code: 'const n = cfg.model.size;', defines: ['n'], uses: ['cfg'] },
  { name: 'optional chaining reads the root', code: 'const s = user?.profile?.name ?? anon;', defines: ['s'], uses: ['user', 'anon'] },
  { name: 'spread arguments are uses', code: 'const all = [...xs, ...ys];', defines: ['all'], uses: ['xs', 'ys'] },
  { name: 'arrow function: params local, free names are uses', code: 'const out = xs.map((x, i) => x * scale + i);', defines: ['out'], uses: ['xs', 'scale'] },
  { name: 'inline function expression callback', code: 'xs.forEach(function (x) { seen.add(x); });', defines: [], uses: ['xs', 'seen'], mutates: ['seen'] },
  { name: 'update inside a callback mutates the free name', code: 'let total = 0;\nitems.forEach((i) => { total += i.price; });', defines: ['total'], uses: ['items'], mutates: ['total'] },
  { name: 'builtins go to builtinUses', code: 'console.log(Math.max(...vals), JSON.stringify(cfg), undefined);', defines: [], uses: ['vals', 'cfg'], builtinUses: ['console', 'Math', 'JSON', 'undefined'] },
  { name: 'a rebound builtin is a plain name', code: 'const fetch = mock;\nfetch(url);', defines: ['fetch'], uses: ['mock', 'url'] },
  { name: 'top-level await', code: 'const res = await fetch(url);\nconst body = await res.json();', defines: ['res', 'body'], uses: ['url'], builtinUses: ['fetch'] },
  { name: 'new expression reads the class and arguments', code: 'const m = new Model(params);', defines: ['m'], uses: ['Model', 'params'] },
  { name: 'typeof and void are reads', code: 'const t = typeof maybe;\nvoid sideEffect;', defines: ['t'], uses: ['maybe', 'sideEffect'] },
  { name: 'tagged template reads tag and substitutions', code: 'const q = sql`select ${col}`;', defines: ['q'], uses: ['sql', 'col'] },
  { name: 'immediately invoked function: free names are uses', code: '(() => { helper(state); })();', defines: [], uses: ['helper', 'state'] },
  { name: 'named function expression name is local', code: 'const r = [3].map(function fact(n) { return n ? n * fact(n - 1) : 1; });', defines: ['r'], uses: [] },
  { name: 'arguments inside a function is local', code: 'run(function () { return arguments.length + extra; });', defines: [], uses: ['run', 'extra'] },
  { name: 'object literal methods: free names are uses', code: 'const api = { get(k) { return store[k]; } };', defines: ['api'], uses: ['store'] },
  { name: 'JSX reads components and attribute values, not intrinsic tags', code: 'const el = <div className={cls}><Chart data={rows} /></div>;', language: 'javascript', defines: ['el'], uses: ['cls', 'Chart', 'rows'] },
];

const mutationCases: NameCase[] = [
  { name: 'property assignment mutates the root', code: 'x.a = 1;', defines: [], uses: ['x'], mutates: ['x'] },
  { name: 'element assignment mutates the root', code: 'x[i] = 2;', defines: [], uses: ['x', 'i'], mutates: ['x'] },
  { name: 'deep property assignment mutates the root', code: 'x.a.b = 3;', defines: [], uses: ['x'], mutates: ['x'] },
  { name: 'compound assignment uses and mutates', code: 'x += 1;', defines: [], uses: ['x'], mutates: ['x'] },
  { name: 'postfix increment uses and mutates', code: 'x++;', defines: [], uses: ['x'], mutates: ['x'] },
  { name: 'prefix decrement uses and mutates', code: '--x;', defines: [], uses: ['x'], mutates: ['x'] },
  { name: 'logical assignment uses and mutates', code: 'cache ??= build();', defines: [], uses: ['cache', 'build'], mutates: ['cache'] },
  { name: 'increment of a member mutates the root', code: 'counts[word]++;', defines: [], uses: ['counts', 'word'], mutates: ['counts'] },
  { name: 'update of a name defined earlier is a mutation, not a use', code: 'let n = 0;\nn++;', defines: ['n'], uses: [], mutates: ['n'] },
  { name: 'known mutating array methods', code: 'a.push(1); b.sort(); c.splice(0, 1); d.reverse(); e.fill(0);', defines: [], uses: ['a', 'b', 'c', 'd', 'e'], mutates: ['a', 'b', 'c', 'd', 'e'] },
  { name: 'map and set mutators', code: 'm.set(k, v); s.add(v); m.delete(k); s.clear();', defines: [], uses: ['m', 'k', 'v', 's'], mutates: ['m', 's'] },
  { name: 'mutating method deep in a chain mutates the root', code: 'state.history[0].push(entry);', defines: [], uses: ['state', 'entry'], mutates: ['state'] },
  { name: 'known non-mutating methods do not mutate', code: 'const r = xs.map(f).filter(g);\nconst has = set.has(k);\nconst part = arr.slice(1);', defines: ['r', 'has', 'part'], uses: ['xs', 'f', 'g', 'set', 'k', 'arr'] },
  { name: 'unknown method on a name is a mutation (conservative)', code: 'df.dropna();\nmodel.fit(X, y);', defines: [], uses: ['df', 'model', 'X', 'y'], mutates: ['df', 'model'] },
  { name: 'methods of globals do not mutate them', code: 'Math.random(); console.warn(msg); Promise.all(ps); Date.now();', defines: [], uses: ['msg', 'ps'], builtinUses: ['Math', 'console', 'Promise', 'Date'] },
  { name: 'methods of imported modules do not mutate them', code: "import * as d3 from 'd3';\nconst s = d3.scaleLinear();\nfs.existsSync(p);", defines: ['d3', 's'], uses: ['fs', 'p'] },
  { name: 'methods of required modules do not mutate them', code: "const lib = require('lib');\nlib.configure(opts);", defines: ['lib'], uses: ['opts'], builtinUses: ['require'] },
  { name: 'Object.assign mutates its first argument', code: 'Object.assign(target, extra);', defines: [], uses: ['target', 'extra'], mutates: ['target'], builtinUses: ['Object'] },
  { name: 'a call on a call result mutates nothing', code: 'xs.slice().sort();', defines: [], uses: ['xs'] },
  { name: 'delete of a member mutates the root', code: 'delete cfg.debug;\ndelete cache[key];', defines: [], uses: ['cfg', 'cache', 'key'], mutates: ['cfg', 'cache'] },
  { name: 'delete of a bare name unbinds it', code: 'delete tmp;', language: 'javascript', defines: [], uses: [], deletes: ['tmp'] },
  { name: 'mutation of a block-local name is invisible', code: '{ const buf = []; buf.push(1); }', defines: [], uses: [] },
  { name: 'assigning a member through a parameter of an inline callback is local', code: 'rows.forEach((r) => { r.seen = true; });', defines: [], uses: ['rows'] },
];

const typeCases: NameCase[] = [
  { name: 'annotations are not uses', code: 'const x: Foo<Bar> = make();\nfunction f(a: Baz): Qux { return a; }', defines: ['x', 'f'], uses: ['make'] },
  { name: 'interface and type alias define the type name only', code: 'interface Point { x: Unit }\ntype Pair = [Point, Other];', defines: ['Point', 'Pair'], uses: [] },
  { name: 'as, satisfies, non-null and angle assertions read only the value', code: 'const a = v as Shape;\nconst b = w satisfies Shape;\nconst c = u!;\nconst d = <Shape>t;', defines: ['a', 'b', 'c', 'd'], uses: ['v', 'w', 'u', 't'] },
  { name: 'generic call type arguments are not uses', code: 'const r = parse<Config>(text);', defines: ['r'], uses: ['parse', 'text'] },
  { name: 'enum defines a value; members are local', code: 'enum Color { Red = base, Green = Red + 1 }', defines: ['Color'], uses: ['base'] },
  { name: 'implements is type-only, extends is a use', code: 'class A extends Base implements Shape {}', defines: ['A'], uses: ['Base'] },
  { name: 'type-only import still binds its names', code: "import type { Options } from './opts';\nlet o: Options;", defines: ['Options', 'o'], uses: [] },
];

const importCases: NameCase[] = [
  { name: 'default, named and namespace imports bind', code: "import React, { useState as useS, useMemo } from 'react';\nimport * as fs from 'node:fs';", defines: ['React', 'useS', 'useMemo', 'fs'], uses: [] },
  { name: 'require binds like an import', code: "const { readFileSync } = require('fs');", defines: ['readFileSync'], uses: [], builtinUses: ['require'] },
  { name: 'dynamic import binds the awaited module', code: "const mod = await import('./mod.js');\nmod.run();", defines: ['mod'], uses: [] },
];

for (const [group, cases] of [
  ['declarations and destructuring', declarationCases],
  ['scopes and definite bindings', scopeCases],
  ['expressions', expressionCases],
  ['mutation', mutationCases],
  ['TypeScript type-only constructs', typeCases],
  ['imports', importCases],
] as const) {
  describe(`analyzeScript names: ${group}`, () => {
    for (const c of cases) test(c.name, () => checkNames(c));
  });
}
