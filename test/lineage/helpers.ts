/**
 * Hand-built CellFacts and execution logs for lineage tests, so they do not depend on the analysers.
 */
import type { CallSite, CellFacts, FunctionFact, Operation, OperationKind, ValueFlow } from '../../src/core/analysis/facts';
import { emptyFacts } from '../../src/core/analysis/facts';
import { buildLineageGraph, type ExecutionInput, type LineageGraph } from '../../src/core/lineage';
import type { ObjectIdentity } from '../../src/core/records';
import { analyzer } from '../analysis/python-helpers';

interface NameLists {
  defines?: string[];
  uses?: string[];
  mutates?: string[];
  deletes?: string[];
}

/** Cell-level facts only, without operations (lineage treats the cell as one statement). */
export function facts(lists: NameLists & { builtinUses?: string[]; functions?: FunctionFact[] } = {}): CellFacts {
  return {
    ...emptyFacts('python'),
    defines: lists.defines ?? [],
    uses: lists.uses ?? [],
    builtinUses: lists.builtinUses ?? [],
    mutates: lists.mutates ?? [],
    deletes: lists.deletes ?? [],
    functions: lists.functions ?? [],
  };
}

export interface StatementSpec extends NameLists {
  code: string;
  kind?: OperationKind;
  calls?: CallSite[];
  /** Where the values bound here come from (may-alias analysis); none = fresh values. */
  flows?: Record<string, ValueFlow>;
  /** The function or class this statement defines. */
  defines_function?: FunctionSpec;
}

export function stmt(code: string, lists: Omit<StatementSpec, 'code'> = {}): StatementSpec {
  return { code, ...lists };
}

export function call(callee: string, argNames: (string | null)[] = [], keywordNames: Record<string, string> = {}): CallSite {
  const dot = callee.indexOf('.');
  return {
    callee,
    receiver: dot < 0 ? undefined : callee.slice(0, dot),
    method: dot < 0 ? undefined : callee.slice(callee.lastIndexOf('.') + 1),
    argNames,
    keywordNames,
    literalArgs: {},
    line: 0,
  };
}

export interface FunctionSpec {
  name: string;
  kind?: 'function' | 'class';
  params?: string[];
  freeVariables?: string[];
  globalWrites?: string[];
  mutatedGlobals?: string[];
  mutatedParams?: string[];
  callees?: string[];
  body?: StatementSpec[];
}

/** A `def` statement: defines the name, carries the FunctionFact. */
export function def(code: string, spec: FunctionSpec): StatementSpec {
  return { code, kind: spec.kind ?? 'function', defines: [spec.name], defines_function: spec };
}

export interface CellContent {
  code: string;
  facts: CellFacts;
}

/** A cell of statements, one per line (or more, if a statement's code spans lines). */
export function cell(...statements: StatementSpec[]): CellContent {
  const operations: Operation[] = [];
  const functions: FunctionFact[] = [];
  let line = 1;
  statements.forEach((s, index) => {
    const lines = s.code.split('\n');
    const span = { startLine: line, startColumn: 0, endLine: line + lines.length - 1, endColumn: lines[lines.length - 1].length };
    operations.push({
      index,
      kind: s.kind ?? 'expression',
      span,
      code: s.code,
      defines: s.defines ?? [],
      uses: s.uses ?? [],
      mutates: s.mutates ?? [],
      deletes: s.deletes ?? [],
      calls: s.calls ?? [],
      ...(s.flows ? { flows: s.flows } : {}),
    });
    if (s.defines_function) functions.push(functionFact(s.defines_function, span, line));
    line += lines.length;
  });
  const defined = new Set<string>();
  const upwardExposed: string[] = [];
  for (const op of operations) {
    for (const name of op.uses) if (!defined.has(name) && !upwardExposed.includes(name)) upwardExposed.push(name);
    for (const name of op.defines) defined.add(name);
  }
  const union = (field: 'defines' | 'mutates' | 'deletes') => [...new Set(operations.flatMap((op) => op[field]))];
  return {
    code: statements.map((s) => s.code).join('\n'),
    facts: {
      ...emptyFacts('python'),
      defines: union('defines'),
      uses: upwardExposed,
      mutates: union('mutates'),
      deletes: union('deletes'),
      functions,
      operations,
    },
  };
}

function functionFact(spec: FunctionSpec, span: Operation['span'], firstLine: number): FunctionFact {
  let line = firstLine + 1;
  const body = spec.body?.map((s, index): Operation => {
    const start = line;
    line += s.code.split('\n').length;
    return {
      index,
      kind: s.kind ?? 'expression',
      span: { startLine: start, startColumn: 4, endLine: line - 1, endColumn: 0 },
      code: s.code,
      defines: s.defines ?? [],
      uses: s.uses ?? [],
      mutates: s.mutates ?? [],
      deletes: s.deletes ?? [],
      calls: s.calls ?? [],
    };
  });
  return {
    name: spec.name,
    kind: spec.kind ?? 'function',
    params: spec.params ?? [],
    freeVariables: spec.freeVariables ?? [],
    globalWrites: spec.globalWrites ?? [],
    mutatedGlobals: spec.mutatedGlobals ?? [],
    mutatedParams: spec.mutatedParams ?? [],
    callees: spec.callees ?? [],
    decorators: [],
    async: false,
    span,
    ...(body ? { body } : {}),
  };
}

/** One-statement cell: `simple('y = x + 1', { defines: ['y'], uses: ['x'] })`. */
export function simple(code: string, lists: Omit<StatementSpec, 'code'> = {}): CellContent {
  return cell(stmt(code, { kind: 'assign', ...lists }));
}

export interface RunOptions {
  success?: boolean;
  count?: number | null;
  session?: string;
  cellIndex?: number | null;
}

/** An execution log under construction. Ids are e1, e2, … and counts increase unless told. */
export class Log {
  readonly inputs: ExecutionInput[] = [];
  private readonly factsById = new Map<string, CellFacts>();
  private nextCount = 1;

  run(cellId: string, content: CellContent | CellFacts, options: RunOptions = {}): string {
    const id = `e${this.inputs.length + 1}`;
    const count = options.count === undefined ? this.nextCount : options.count;
    if (count !== null) this.nextCount = count + 1;
    const isContent = 'facts' in content;
    this.inputs.push({
      id,
      cellId,
      cellIndex: options.cellIndex === undefined ? defaultIndex(cellId) : options.cellIndex,
      code: isContent ? content.code : `<${id}>`,
      executionCount: count,
      success: options.success ?? true,
      ...(options.session === undefined ? {} : { sessionId: options.session }),
    });
    this.factsById.set(id, isContent ? content.facts : content);
    return id;
  }

  /** A kernel restart: the next execution count starts again at 1. */
  restart(): void {
    this.nextCount = 1;
  }

  graph(inputs: readonly ExecutionInput[] = this.inputs): LineageGraph {
    return buildLineageGraph(inputs, (e) => this.factsOf(e));
  }

  factsOf(execution: ExecutionInput): CellFacts {
    const found = this.factsById.get(execution.id);
    if (!found) throw new Error(`no facts for ${execution.id}`);
    return found;
  }
}

/** Cell ids like `c3` sit at index 3 unless a test says otherwise. */
function defaultIndex(cellId: string): number | null {
  const match = /^c(\d+)$/.exec(cellId);
  return match ? Number(match[1]) : null;
}

export const ids = (refs: readonly { id: string }[]) => refs.map((r) => r.id);
export const codes = (refs: readonly { code: string }[]) => refs.map((r) => r.code);

/** One execution of a Python cell: `[cell index, code, run-time identities?]`; a repeated index is a re-run. */
export type PythonRun = readonly [index: number, code: string, identities?: Record<string, ObjectIdentity>];

/** The lineage graph of Python cells run in the given order, analysed by the real tree-sitter analyser. */
export async function pythonHistory(runs: readonly PythonRun[]): Promise<LineageGraph> {
  const python = await analyzer();
  const inputs: ExecutionInput[] = runs.map(([index, code, identities], i) => ({
    id: `e${i + 1}`,
    cellId: `c${index}`,
    cellIndex: index,
    code,
    executionCount: i + 1,
    success: true,
    ...(identities ? { identities } : {}),
  }));
  return buildLineageGraph(inputs, (e) => python.analyze(e.code));
}
