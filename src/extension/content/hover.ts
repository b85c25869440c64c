/**
 * The hover of a variable in a notebook cell, as Markdown: its current value (scalar, or type,
 * shape, dtype, hash), the execution that produced it (cell, count, time, stage), the chain of
 * upstream definitions with their values (backward lineage), its values in the latest trials, and
 * links to the lineage and across-trials views. From static analysis alone when nothing was
 * recorded, saying why values are missing. Pure: no vscode.
 */
import { lastDefinition, type LineageGraph } from '../../core/lineage';
import { closedSlice } from '../../core/lineage/slice';
import { cellStage } from '../../core/notebook/tags';
import type { ValueSummary } from '../../core/records';
import { rowText } from '../../core/trials/series';
import { COMMANDS } from '../commands';
import { cellLabel, clip, code, commandUri, plain, valueDetails, valueGlance } from './format';
import type { ProvenanceSnapshot } from './snapshot';

export interface HoverRequest {
  name: string;
  /** The hovered cell's index. */
  cellIndex: number;
  /** The notebook's URI (string), passed to the linked commands. */
  notebookUri: string;
  previewLength: number;
  /** Why no values can exist, when the caller knows (non-Python kernel, recording off, store refused). */
  noValuesReason?: string | null;
}

/** Upstream statements shown; the rest are counted. */
const MAX_UPSTREAM = 8;
const MAX_TRIALS = 5;

export interface VariableLinkArgs {
  notebook: string;
  variable: string;
}

export function buildHover(p: ProvenanceSnapshot, request: HoverRequest): string | null {
  const { name } = request;
  const graph = p.lineage.graph;
  const cell = p.view.cells[request.cellIndex];
  const facts = cell?.language ? p.analyzer.analyze(cell.source, cell.language) : null;
  const inCell = facts ? [facts.defines, facts.uses, facts.mutates, facts.deletes].some((names) => names.includes(name)) : false;
  const defined = lastDefinition(graph, name);
  if (!defined && !inCell) return null;

  const role = p.view.variableTags()[name];
  const lines: string[] = [];
  const value = defined ? valueOf(p.lineage.valuesOf(defined.id), name) : undefined;
  lines.push(`**${code(name)}**${role ? ` · ${plain(role)}` : ''}${value ? ` · ${plain(valueDetails(value).join(' · '))}` : ''}`);
  if (value) lines.push('', code(valueGlance(value, request.previewLength), request.previewLength + 4));
  else lines.push('', `_${plain(missingValueReason(p, request, defined !== null))}_`);

  if (defined) {
    const parts = [cellLabel(defined.cellIndex, defined.executionCount, defined.cellId)];
    const startedAt = p.lineage.source === 'recorded' ? p.store?.getExecution(defined.id)?.startedAt : undefined;
    if (startedAt) parts.push(formatTime(startedAt));
    const stage = defined.cellIndex !== null ? cellStage(p.view.cells[defined.cellIndex]?.tags ?? []) : null;
    if (stage) parts.push(`stage ${stage}`);
    const source = p.lineage.source === 'recorded' ? 'recorded' : 'saved execution counts';
    lines.push('', `Produced by ${plain(parts.join(' · '))} _(${plain(source)})_`);
    lines.push(...upstream(p, graph, name));
  } else {
    lines.push('', `Not defined by any run yet: ${plain(cellLabel(request.cellIndex, null))} ${facts?.defines.includes(name) ? 'defines' : 'uses'} it.`);
  }

  lines.push(...trialValues(p, name, request.previewLength));
  const args: VariableLinkArgs = { notebook: request.notebookUri, variable: name };
  lines.push('', `[Lineage](${commandUri(COMMANDS.showLineage.id, [args])}) · [Across trials](${commandUri(COMMANDS.showAcrossTrials.id, [args])})`);
  return lines.join('\n');
}

function valueOf(values: readonly ValueSummary[], name: string): ValueSummary | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i].name === name) return values[i];
  return undefined;
}

function missingValueReason(p: ProvenanceSnapshot, request: HoverRequest, defined: boolean): string {
  if (request.noValuesReason) return `No recorded value: ${request.noValuesReason}.`;
  if (p.lineage.source === 'saved') return 'No recorded value: this notebook has no recorded session yet; run its cells with the "nbprov: Python" kernel to record values. Lineage below is from static analysis of the saved execution order.';
  if (!defined) return 'No recorded value: no recorded run has defined it yet.';
  return 'No recorded value: the run that defined it was recorded without values (its kernel had no nbprov recorder, or the name is excluded from recording).';
}

/**
 * The statements the variable's current value came from (backward lineage at operation level, in
 * execution order), the last few described: only those are built, however long the chain.
 */
function upstream(p: ProvenanceSnapshot, graph: LineageGraph, name: string): string[] {
  const versions = (graph.versions.get(name) ?? []).filter((v) => v.kind !== 'delete');
  if (!versions.length) return [];
  const positions = closedSlice(graph, 'operation', [versions[versions.length - 1].operation], name);
  if (positions.length <= 1) return [];
  const shown = positions.slice(-MAX_UPSTREAM);
  const lines = ['', `**Upstream** (backward lineage, execution order${positions.length > shown.length ? `, last ${shown.length} of ${positions.length}` : ''}):`];
  for (const position of shown) {
    const op = graph.operations[position];
    const execution = graph.executions[op.execution];
    const values = p.lineage.valuesOf(execution.id);
    const produced = [...op.defines, ...op.mutates].map((n) => valueOf(values, n)).find((v) => v !== undefined);
    const at = `${cellLabel(execution.cellIndex, execution.executionCount, execution.cellId)} line ${op.span.startLine}`;
    lines.push(`- ${plain(at)}: ${code(op.code, 90)}${produced ? ` → ${code(`${produced.name} = ${valueGlance(produced, 60)}`, 80)}` : ''}`);
  }
  return lines;
}

function trialValues(p: ProvenanceSnapshot, name: string, previewLength: number): string[] {
  const rows = p.store?.trialValueSeries(name, { notebookPath: p.notebookKey }) ?? [];
  if (!rows.length) return [];
  const latest = rows.slice(-MAX_TRIALS).reverse();
  const items = latest.map((r) => `${code(clip(r.trialName ?? r.trialId.slice(0, 8), 40))} ${code(clip(r.numeric !== null ? String(r.numeric) : r.deferred ? rowText({ repr: r.repr, value: null, deferred: r.deferred }) : r.repr, Math.min(previewLength, 60)))}`);
  return ['', `**Latest trials** (${rows.length}): ${items.join(' · ')}`];
}

function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}
