/**
 * What the PROV export needs from lineage: for every execution, the values it read (each name with
 * the execution whose version reached it), and for every value an execution made, the values it
 * was computed from directly — per name, through the statements that defined it, not flattened to
 * every ancestor and not shared by every name a statement defines.
 */
import type { CellAnalyzer, FactsCache } from '../analysis';
import type { LineageGraph, OperationNode } from '../lineage/types';
import { analysedExecution, analysedLineageGraph } from '../notebookLineage';
import type { ExecutionRecord } from '../records';

/** A value: the name as a given execution left it. */
export interface ValueRef {
  executionId: string;
  name: string;
}

export interface ProvLineage {
  /** executionId → the values it read from earlier executions. */
  reads: Map<string, ValueRef[]>;
  /** `${executionId}\u0000${name}` → the values it was derived from (other executions' or the same one's other names). */
  derivations: Map<string, ValueRef[]>;
}

export function valueKey(executionId: string, name: string): string {
  return `${executionId}\u0000${name}`;
}

function pushUnique(list: ValueRef[], ref: ValueRef): void {
  if (!list.some((r) => r.executionId === ref.executionId && r.name === ref.name)) list.push(ref);
}

/** Adds `graph`'s reads and derivations to `into` (one graph per notebook; ids are unique across them). */
export function provLineage(graph: LineageGraph, into: ProvLineage = { reads: new Map(), derivations: new Map() }): ProvLineage {
  for (const execution of graph.executions) {
    const reads: ValueRef[] = [];
    for (const read of execution.reads) {
      if (read.from === null || read.deleted) continue;
      pushUnique(reads, { executionId: graph.executions[read.from].id, name: read.name });
    }
    if (reads.length) into.reads.set(execution.id, reads);
    if (!execution.success) continue;

    const operations = graph.operations.slice(execution.firstOperation, execution.firstOperation + execution.operationCount);
    for (const name of execution.changes) {
      const sources: ValueRef[] = [];
      const seen = new Set<number>();
      // A read of `name` itself inside the execution leads back to the statement that made that
      // version (the same value being built up), whose reads are followed in turn.
      const visit = (op: OperationNode) => {
        if (seen.has(op.position)) return;
        seen.add(op.position);
        for (const read of op.reads) {
          if (read.from === null || read.deleted) continue;
          const source = graph.operations[read.from];
          if (source.execution !== execution.position) pushUnique(sources, { executionId: graph.executions[source.execution].id, name: read.name });
          else if (read.name === name) visit(source);
          else pushUnique(sources, { executionId: execution.id, name: read.name });
        }
      };
      // The value the execution left is the last change's; earlier versions matter only through it.
      const last = [...operations].reverse().find((op) => op.defines.includes(name) || op.mutates.includes(name));
      if (last) visit(last);
      if (sources.length) into.derivations.set(valueKey(execution.id, name), sources);
    }
  }
  return into;
}

/**
 * Reads and derivations of recorded executions, one lineage graph per notebook (a notebook's
 * sessions in one graph: a new session is a restart, so nothing reaches across it).
 */
export function provLineageOf(executions: readonly ExecutionRecord[], analyzer: CellAnalyzer, facts?: FactsCache): ProvLineage {
  const lineage: ProvLineage = { reads: new Map(), derivations: new Map() };
  const byNotebook = new Map<string, ExecutionRecord[]>();
  for (const e of executions) {
    const list = byNotebook.get(e.notebookPath);
    if (list) list.push(e);
    else byNotebook.set(e.notebookPath, [e]);
  }
  for (const records of byNotebook.values()) provLineage(analysedLineageGraph(records.map((r) => analysedExecution(r)), analyzer, facts), lineage);
  return lineage;
}
