/**
 * Static facts of one cell, as plain data: what `nbprov analyze --json` prints and lineage is built
 * from. Pure types (src/shared imports no layer); src/core/analysis/facts.ts re-exports them and
 * adds the engine's own (CellFacts, PartialAnalysis). See that file for the analysers' conventions.
 */

export type CellLanguage = 'python' | 'javascript' | 'typescript';

export interface SourceSpan {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
}

export interface ImportFact {
  /** Module as written: `numpy`, `sklearn.metrics`, `./util` (JS). */
  module: string;
  /** Names bound in the cell by this import (`np` for `import numpy as np`, `*` for star imports). */
  names: string[];
  line: number;
}

/** A literal value as it appears in code: JSON-compatible, or a short source text when not. */
export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [k: string]: LiteralValue };

export interface CallSite {
  /** Dotted callee as written when it is a name chain (`pd.read_csv`, `model.fit`, `helper`); else `<expr>`. */
  callee: string;
  /** Root name of the callee chain (`pd` for `pd.read_csv`), when the callee is a name chain. */
  receiver?: string;
  /** Last attribute of a method call (`fit` in `model.fit(X)`). */
  method?: string;
  /** For each positional argument: the bare name passed, or null if it is not a bare name. */
  argNames: (string | null)[];
  /** Keyword arguments passed as bare names: parameter → name. */
  keywordNames: Record<string, string>;
  /** Literal arguments: positional index (as a string) or keyword → value. */
  literalArgs: Record<string, LiteralValue>;
  line: number;
  /**
   * Python: root names of the arguments of a call the analyser knows nothing about (not a pure
   * builtin, not a function of a well-known library, not a method in the mutation table). Such a
   * call may change them; lineage does so unless the callee is a notebook function it can summarise.
   */
  unknownArgs?: string[];
}

/**
 * Where the value a statement binds to a name may come from, for the may-alias analysis of
 * lineage (Python only; absent = a fresh value sharing nothing, as before).
 */
export interface ValueFlow {
  /** Names whose objects the value may be, contain or view (`b = a`, `b = a[0]`, `for b in a`). */
  share: string[];
  /** Names whose elements the value may hold (shallow copies: `a.copy()`, `list(a)`, `sorted(a)`). */
  copy: string[];
  /** Names whose objects the value holds as elements or members (`[a, b]`, `{'k': a}`). */
  contains: string[];
  /** Notebook functions whose result may be the value (a generator function gives an iterator). */
  calls?: string[];
  /** The value may be an iterator or generator: consuming it changes it. */
  iterator?: true;
  /** A literal number, string, bool or None: never changed in place. */
  immutable?: true;
  /** The value is this constant string (a path, for files opened through names). */
  text?: string;
  /** The name is bound by an import from this module (`sklearn.metrics`). */
  module?: string;
  /** The value is the same path as this name's (`q = p`, `Path(p)`, `str(p)`): its constant, if any. */
  textFrom?: string;
  /** A slice of this name (`a[:2]`): a copy when the name holds a Python list/tuple/str, a view for arrays. */
  sliceOf?: string;
  /** A Python list, tuple or str made here (a display, a comprehension, `list(…)`, `sorted(…)`): its slices are copies. */
  sequence?: true;
}

/** A file read or written by a statement: a literal path, a name holding one, or unknown (any file). */
export interface FileUse {
  access: 'read' | 'write';
  path?: string;
  name?: string;
  via: string;
}

export type OperationKind =
  | 'assign'
  | 'augassign'
  | 'annassign'
  | 'import'
  | 'function'
  | 'class'
  | 'delete'
  | 'expression'
  | 'control'
  | 'magic'
  | 'other';

/**
 * One top-level statement of a cell, in order. Compound statements (`for`, `if`, `with`, `try`,
 * `match`, …) are one operation whose facts are the union of their bodies.
 */
export interface Operation {
  index: number;
  kind: OperationKind;
  span: SourceSpan;
  /** Source text of the statement (truncated to a bounded length for huge statements). */
  code: string;
  defines: string[];
  uses: string[];
  mutates: string[];
  deletes: string[];
  calls: CallSite[];
  /**
   * Statements of a function body only (`FunctionFact.body`): whether the statement can hand a value
   * back to the caller (holds a `return` or `yield` of the function itself). Undefined when the
   * analyser does not say; lineage then keeps every body statement.
   */
  returns?: boolean;
  /** Python: what each name bound here may share (see ValueFlow). */
  flows?: Record<string, ValueFlow>;
  /** Python: container name → names whose objects were stored into it (`d[k] = v`, `l.append(v)`). */
  stores?: Record<string, string[]>;
  /** Python: mutated names whose every mutation here changed only their own object, not what they hold (`l.append(x)`, `d[k] = v`). */
  outerMutates?: string[];
  /** Python: mutated names the statement had already bound itself when it changed them (`with open(p) as f: f.write(…)`): their earlier versions are not read. */
  mutatesAfterBinding?: string[];
  /** Python: names iterated here (`for`, comprehensions, `list(x)`, `next(x)`, …): a change when they hold an iterator. */
  consumes?: string[];
  /** Python: files read or written, including through names and unknown paths. */
  fileUses?: FileUse[];
}

export interface FunctionFact {
  name: string;
  kind: 'function' | 'class';
  /** Parameter names, in order (for methods, including `self`). */
  params: string[];
  /** Names the body reads from the enclosing (global) scope: bound when the function is called. */
  freeVariables: string[];
  /** Globals the body rebinds (`global x; x = …`). */
  globalWrites: string[];
  /** Globals the body mutates in place (`CACHE.append(…)` with CACHE free). */
  mutatedGlobals: string[];
  /** Parameters the body mutates in place (`def add(l): l.append(1)` → `['l']`). */
  mutatedParams: string[];
  /** Functions called by name from the body (to expand transitively at call time). */
  callees: string[];
  decorators: string[];
  async: boolean;
  span: SourceSpan;
  /** Python: the body yields, so a call returns a generator. */
  generator?: true;
  /**
   * Optional: the body's top-level statements, in cell line coordinates. Lineage shows them when
   * it expands a call of this function; without them it shows the body as one block of text.
   */
  body?: Operation[];
}

export interface FileAccessFact {
  path: string;
  line: number;
  /** The call that reads/writes it: `open`, `pd.read_csv`, `df.to_csv`, … */
  via: string;
}

/**
 * Set when a cell exceeds a size bound and only its first lines were analysed (none when
 * `analysedLines` is 0): names it binds further down are unknown to lineage. The bounds count
 * input (parser steps, syntax nodes, nesting depth), never time, so a cell gets the same facts on
 * any machine.
 */
export interface PartialAnalysis {
  analysedLines: number;
  totalLines: number;
  /** The bound the cell exceeded, for messages: `400000 syntax nodes`. */
  limit: string;
}

export interface CellFacts {
  language: CellLanguage;
  defines: string[];
  uses: string[];
  builtinUses: string[];
  mutates: string[];
  /** Names unbound by `del name` (not `del name[k]`, which is a mutation). */
  deletes: string[];
  imports: ImportFact[];
  functions: FunctionFact[];
  operations: Operation[];
  files: { reads: FileAccessFact[]; writes: FileAccessFact[] };
  diagnostics: Diagnostic[];
  /** Only on a cell too large to analyse in full. */
  partial?: PartialAnalysis;
}
