/** Static facts of one cell (the `nbprov analyze --json` cell), as plain data. */
import type { ExecutionLanguage } from './records';

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
  module: string;
  names: string[];
  line: number;
}

export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [k: string]: LiteralValue };

export interface CallSite {
  callee: string;
  receiver?: string;
  method?: string;
  argNames: (string | null)[];
  keywordNames: Record<string, string>;
  literalArgs: Record<string, LiteralValue>;
  line: number;
}

export type OperationKind = 'assign' | 'augassign' | 'annassign' | 'import' | 'function' | 'class' | 'delete' | 'expression' | 'control' | 'magic' | 'other';

/** One statement of a cell: what it defines, uses, mutates and calls. */
export interface Operation {
  index: number;
  kind: OperationKind;
  span: SourceSpan;
  code: string;
  defines: string[];
  uses: string[];
  mutates: string[];
  deletes: string[];
  calls: CallSite[];
  returns?: boolean;
}

export interface FunctionFact {
  name: string;
  kind: 'function' | 'class';
  params: string[];
  freeVariables: string[];
  globalWrites: string[];
  mutatedGlobals: string[];
  mutatedParams: string[];
  callees: string[];
  decorators: string[];
  async: boolean;
  span: SourceSpan;
  body?: Operation[];
}

export interface FileAccessFact {
  path: string;
  line: number;
  via: string;
}

export type CellLanguage = ExecutionLanguage;
