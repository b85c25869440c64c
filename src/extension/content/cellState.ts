/**
 * What CodeLens and the cell status bar show for each cell of a notebook, computed once per
 * provenance snapshot: for an executed cell its execution count, the cells it read from, a stale
 * warning when an input changed after it ran, and — while the user types — whether it was edited
 * since it ran and which cells running it again would make stale (from the edited source, analysed
 * now); above each tagged definition its role, last value and links. Pure: no vscode.
 */
import { staleCells, type ExecutionNode, type LineageGraph, type StaleCell } from '../../core/lineage';
import { closure } from '../../core/lineage/slice';
import type { CellFacts } from '../../core/analysis/facts';
import { COMMANDS } from '../commands';
import { cellLabel, clip, noCellLabel, valueGlance } from './format';
import type { VariableLinkArgs } from './hover';
import type { ProvenanceSnapshot } from './snapshot';

export interface CellLens {
  /** 0-based line in the cell where the lens sits. */
  line: number;
  title: string;
  tooltip?: string;
  command?: { id: string; args: unknown[] };
}

export type CellCondition = 'stale' | 'edited' | 'input-edited' | 'current' | 'not-run';

export interface CellStatus {
  condition: CellCondition;
  text: string;
  tooltip: string;
}

export interface CellState {
  lenses: CellLens[];
  status: CellStatus | null;
}

export interface CellStateOptions {
  notebookUri: string;
  previewLength: number;
}

const CHANGE_WORDS = { define: 'redefined', mutate: 'changed', delete: 'deleted' } as const;

export function buildCellStates(p: ProvenanceSnapshot, options: CellStateOptions): CellState[] {
  const graph = p.lineage.graph;
  const stale = new Map(staleCells(graph).map((s) => [s.cellId, s]));
  const tags = p.view.variableTags();
  const states: CellState[] = p.view.cells.map(() => ({ lenses: [], status: null }));
  const facts = p.view.cells.map((c) => (c.cellType === 'code' && c.language ? p.analyzer.analyze(c.source, c.language) : null));
  const edits = editedCells(p, graph, facts);
  const inputEdited = new Map<number, number[]>();
  for (const edit of edits.values()) for (const index of edit.affected) inputEdited.set(index, [...(inputEdited.get(index) ?? []), edit.cellIndex]);

  p.view.cells.forEach((cell, index) => {
    if (cell.cellType !== 'code') return;
    const state = states[index];
    const latest = latestOf(graph, cell.id);
    const edit = edits.get(index);
    if (latest) {
      state.lenses.push(...executionLenses(graph, latest, stale.get(cell.id), edit));
      state.status = status(graph, latest, stale.get(cell.id), edit, inputEdited.get(index));
    } else if (cell.language) {
      state.status = { condition: 'not-run', text: 'not run', tooltip: 'nbprov: this cell has not run in the recorded history' };
    }
    state.lenses.push(...taggedLenses(p, graph, facts[index], tags, options));
  });
  return states;
}

function latestOf(graph: LineageGraph, cellId: string): ExecutionNode | undefined {
  const positions = graph.cellExecutions.get(cellId);
  return positions?.length ? graph.executions[positions[positions.length - 1]] : undefined;
}

function upstreamCells(graph: LineageGraph, execution: ExecutionNode): string[] {
  const cells = new Set<string>();
  for (const d of execution.dependencies) {
    const dep = graph.executions[d];
    if (dep.cellId !== execution.cellId) cells.add(dep.cellIndex === null ? noCellLabel(dep.cellId) : String(dep.cellIndex));
  }
  return [...cells];
}

function staleWhy(s: StaleCell): string {
  return s.reasons.map((r) => `${r.name} ${CHANGE_WORDS[r.change]} by ${cellLabel(r.changedBy.cellIndex, r.changedBy.executionCount, r.changedBy.cellId)}`).join('; ');
}

interface EditedCell {
  cellIndex: number;
  ranCount: number | null;
  /** Cells that running the edited source would make stale, in notebook order. */
  affected: number[];
}

/**
 * Cells whose source differs from the code of their latest run, with the cells that running the
 * current source would make stale: those whose latest run read a name the new source defines,
 * changes or deletes (or the old run did), and everything derived from them.
 */
function editedCells(p: ProvenanceSnapshot, graph: LineageGraph, facts: (CellFacts | null)[]): Map<number, EditedCell> {
  const edited = new Map<number, EditedCell>();
  p.view.cells.forEach((cell, index) => {
    const latest = latestOf(graph, cell.id);
    const current = facts[index];
    if (!latest || !current || latest.input.code === cell.source) return;
    const touched = new Set([...current.defines, ...current.mutates, ...current.deletes, ...latest.changes]);
    // Cells whose latest run read a touched name, then everything that read from those (one walk).
    const readers: number[] = [];
    for (const [cellId, positions] of graph.cellExecutions) {
      const reader = graph.executions[positions[positions.length - 1]];
      if (cellId !== cell.id && reader.reads.some((r) => touched.has(r.name))) readers.push(reader.position);
    }
    const reached = new Set(closure(readers, (e) => graph.executions[e].dependents));
    const affected = new Set<number>();
    for (const [cellId, positions] of graph.cellExecutions) {
      const last = graph.executions[positions[positions.length - 1]];
      if (cellId !== cell.id && last.cellIndex !== null && reached.has(last.position)) affected.add(last.cellIndex);
    }
    edited.set(index, { cellIndex: index, ranCount: latest.executionCount, affected: [...affected].sort((a, b) => a - b) });
  });
  return edited;
}

function executionLenses(graph: LineageGraph, latest: ExecutionNode, stale: StaleCell | undefined, edit: EditedCell | undefined): CellLens[] {
  const runs = graph.cellExecutions.get(latest.cellId)?.length ?? 1;
  const lenses: CellLens[] = [];
  const count = latest.executionCount === null ? 'ran' : `[${latest.executionCount}]`;
  lenses.push({ line: 0, title: `$(play) ${count}${runs > 1 ? ` · ran ${runs}×` : ''}${latest.success ? '' : ' · failed'}`, tooltip: 'nbprov: the latest recorded run of this cell' });
  const upstream = upstreamCells(graph, latest);
  lenses.push({ line: 0, title: upstream.length ? `depends on cell${upstream.length > 1 ? 's' : ''} ${upstream.join(', ')}` : 'no inputs from other cells', tooltip: 'nbprov: cells whose values this run read' });
  if (stale) lenses.push({ line: 0, title: `$(warning) stale: ${clip(staleWhy(stale), 80)}`, tooltip: `nbprov: inputs changed after this cell ran (${staleWhy(stale)}); run it again to bring it up to date` });
  if (edit) lenses.push({ line: 0, title: `$(edit) edited since ${edit.ranCount === null ? 'it ran' : `[${edit.ranCount}]`}${edit.affected.length ? ` · running it makes cells ${edit.affected.join(', ')} stale` : ''}`, tooltip: 'nbprov: the source differs from the code of its latest run' });
  return lenses;
}

function status(graph: LineageGraph, latest: ExecutionNode, stale: StaleCell | undefined, edit: EditedCell | undefined, editedInputs: number[] | undefined): CellStatus {
  if (stale) return { condition: 'stale', text: `$(warning) stale: ${stale.reasons.map((r) => r.name).join(', ')}`, tooltip: `nbprov: ${staleWhy(stale)} after this cell ran` };
  if (edit) return { condition: 'edited', text: `$(edit) edited${edit.affected.length ? ` · affects ${edit.affected.length} cell${edit.affected.length > 1 ? 's' : ''}` : ''}`, tooltip: `nbprov: edited since its latest run${edit.affected.length ? `; running it makes cells ${edit.affected.join(', ')} stale` : ''}` };
  if (editedInputs?.length) return { condition: 'input-edited', text: `$(warning) input edited in cell ${editedInputs.join(', ')}`, tooltip: `nbprov: cell ${editedInputs.join(', ')} was edited; running it will make this cell stale` };
  const upstream = upstreamCells(graph, latest);
  return { condition: 'current', text: `$(pass) up to date${upstream.length ? ` · ← ${upstream.join(', ')}` : ''}`, tooltip: `nbprov: no input changed since this cell ran${upstream.length ? `; it read from cells ${upstream.join(', ')}` : ''}` };
}

function taggedLenses(p: ProvenanceSnapshot, graph: LineageGraph, facts: CellFacts | null, tags: Record<string, string>, options: CellStateOptions): CellLens[] {
  if (!facts || !Object.keys(tags).length) return [];
  const lenses: CellLens[] = [];
  const seen = new Set<string>();
  for (const op of facts.operations) {
    for (const name of op.defines) {
      const role = tags[name];
      if (role === undefined || seen.has(name)) continue;
      seen.add(name);
      const line = Math.max(0, op.span.startLine - 1);
      const value = lastValue(p, graph, name);
      const args: VariableLinkArgs = { notebook: options.notebookUri, variable: name };
      lenses.push({ line, title: `$(tag) ${role} ${name}${value ? ` = ${clip(value, Math.min(options.previewLength, 60))}` : ''}`, tooltip: `nbprov: ${name} is tagged ${role}` });
      lenses.push({ line, title: 'Lineage', command: { id: COMMANDS.showLineage.id, args: [args] } });
      lenses.push({ line, title: 'Across trials', command: { id: COMMANDS.showAcrossTrials.id, args: [args] } });
    }
  }
  return lenses;
}

function lastValue(p: ProvenanceSnapshot, graph: LineageGraph, name: string): string | undefined {
  const versions = graph.versions.get(name) ?? [];
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].kind === 'delete') return undefined;
    const values = p.lineage.valuesOf(graph.executions[versions[i].execution].id);
    const value = values.find((v) => v.name === name);
    if (value) return valueGlance(value, 200);
  }
  return undefined;
}
