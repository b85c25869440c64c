import type { ExecutionRecord, FileAccessRecord, JsonValue, Trial, ValueSummary } from '../records';
import { summaryNumber } from './numbers';

/** A W3C PROV-JSON document (https://www.w3.org/Submission/prov-json/). */
export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, ProvAttributes>;
  activity: Record<string, ProvAttributes>;
  agent: Record<string, ProvAttributes>;
  used: Record<string, ProvAttributes>;
  wasGeneratedBy: Record<string, ProvAttributes>;
  wasDerivedFrom: Record<string, ProvAttributes>;
  wasAssociatedWith: Record<string, ProvAttributes>;
  hadMember: Record<string, ProvAttributes>;
}

type ProvLiteral = string | number | boolean | { $: string; type: string };
export type ProvAttributes = Record<string, ProvLiteral>;

/** A URN, so ids expand to IRIs (`urn:nbprov:value/…`) without claiming a web domain. */
export const NBPROV_NAMESPACE = 'urn:nbprov:';
const AGENT = 'nbprov:software/nbprov';

/** Percent-encodes a part of an id so that paths and unicode names give valid, unambiguous QNames. */
function local(part: string): string {
  return encodeURIComponent(part);
}

export function valueEntityId(executionId: string, name: string): string {
  return `nbprov:value/${local(executionId)}/${local(name)}`;
}

function fileEntityId(path: string, hash: string | null | undefined): string {
  return hash ? `nbprov:file/${local(path)}/${local(hash)}` : `nbprov:file/${local(path)}`;
}

function literal(value: JsonValue | undefined, summary: ValueSummary): ProvLiteral | undefined {
  const n = summaryNumber(summary);
  if (n !== undefined) return Number.isFinite(n) ? n : { $: String(summary.value), type: 'xsd:double' };
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function valueAttributes(summary: ValueSummary): ProvAttributes {
  const attrs: ProvAttributes = { 'prov:type': 'nbprov:Value', 'prov:label': summary.name, 'nbprov:type': summary.type, 'nbprov:repr': summary.repr };
  const v = literal(summary.value, summary);
  if (v !== undefined) attrs['prov:value'] = v;
  if (summary.hash) attrs['nbprov:hash'] = summary.hash;
  if (summary.shape) attrs['nbprov:shape'] = JSON.stringify(summary.shape);
  if (summary.dtype) attrs['nbprov:dtype'] = typeof summary.dtype === 'string' ? summary.dtype : JSON.stringify(summary.dtype);
  if (summary.columns) attrs['nbprov:columns'] = JSON.stringify(summary.columns);
  return attrs;
}

function endTime(execution: ExecutionRecord): string | undefined {
  const start = Date.parse(execution.startedAt);
  return Number.isNaN(start) ? undefined : new Date(start + execution.durationMs).toISOString();
}

class ProvBuilder {
  readonly doc: ProvDocument = {
    prefix: { nbprov: NBPROV_NAMESPACE, xsd: 'http://www.w3.org/2001/XMLSchema#' },
    entity: {},
    activity: {},
    agent: { [AGENT]: { 'prov:type': 'prov:SoftwareAgent', 'prov:label': 'nbprov' } },
    used: {},
    wasGeneratedBy: {},
    wasDerivedFrom: {},
    wasAssociatedWith: {},
    hadMember: {},
  };
  private counter = 0;
  private readonly relationKeys = new Set<string>();

  entity(id: string, attrs: ProvAttributes): string {
    this.doc.entity[id] = { ...attrs, ...this.doc.entity[id] };
    return id;
  }

  activity(id: string, attrs: ProvAttributes): void {
    if (!this.doc.activity[id]) this.relate('wasAssociatedWith', { 'prov:activity': id, 'prov:agent': AGENT });
    this.doc.activity[id] = { ...this.doc.activity[id], ...attrs };
  }

  relate(kind: 'used' | 'wasGeneratedBy' | 'wasDerivedFrom' | 'wasAssociatedWith' | 'hadMember', attrs: ProvAttributes): void {
    const key = `${kind}|${JSON.stringify(attrs)}`;
    if (this.relationKeys.has(key)) return;
    this.relationKeys.add(key);
    this.doc[kind][`_:${kind}${++this.counter}`] = attrs;
  }

  file(file: FileAccessRecord, hash: string | null | undefined): string {
    const attrs: ProvAttributes = { 'prov:type': 'nbprov:File', 'prov:label': file.path, 'nbprov:path': file.path };
    if (hash) attrs['nbprov:hash'] = hash;
    if (file.size != null) attrs['nbprov:size'] = file.size;
    return this.entity(fileEntityId(file.path, hash), attrs);
  }

  execution(e: ExecutionRecord): void {
    const id = `nbprov:execution/${local(e.id)}`;
    const attrs: ProvAttributes = { 'prov:type': 'nbprov:CellExecution', 'prov:startTime': e.startedAt, 'nbprov:cellId': e.cellId, 'nbprov:code': e.code, 'nbprov:success': e.success, 'nbprov:notebook': e.notebookPath };
    const end = endTime(e);
    if (end) attrs['prov:endTime'] = end;
    if (e.cellIndex !== null) attrs['nbprov:cellIndex'] = e.cellIndex;
    if (e.executionCount !== null) attrs['nbprov:executionCount'] = e.executionCount;
    this.activity(id, attrs);
    for (const value of e.values) {
      this.entity(valueEntityId(e.id, value.name), valueAttributes(value));
      this.relate('wasGeneratedBy', { 'prov:entity': valueEntityId(e.id, value.name), 'prov:activity': id, 'prov:time': end ?? e.startedAt });
    }
    for (const file of e.files) {
      if (file.kind !== 'write') this.relate('used', { 'prov:activity': id, 'prov:entity': this.file(file, file.hashBefore) });
      if (file.kind !== 'read') this.relate('wasGeneratedBy', { 'prov:entity': this.file(file, file.hashAfter), 'prov:activity': id });
    }
  }

  trial(trial: Trial, executionFiles: Map<string, FileAccessRecord[]>): void {
    const trialId = this.entity(`nbprov:trial/${local(trial.id)}`, {
      'prov:type': 'prov:Collection',
      'nbprov:kind': 'nbprov:Trial',
      'prov:label': trial.name ?? trial.id,
      'nbprov:notebook': trial.notebookPath,
      'nbprov:createdAt': trial.createdAt,
      'nbprov:params': JSON.stringify(trial.params),
    });
    for (const e of trial.executions) {
      this.activity(`nbprov:execution/${local(e.id)}`, { 'prov:type': 'nbprov:CellExecution', 'nbprov:cellId': e.cellId, 'nbprov:code': e.code });
    }
    for (const [name, tagged] of Object.entries(trial.tagged)) {
      const ops = trial.lineage[name] ?? [];
      const producer = [...ops].reverse().find((op) => op.defines.includes(name));
      const valueId = producer ? valueEntityId(producer.executionId, name) : `nbprov:value/trial-${local(trial.id)}/${local(name)}`;
      this.entity(valueId, { ...valueAttributes(tagged), 'nbprov:role': tagged.role });
      if (producer) this.relate('wasGeneratedBy', { 'prov:entity': valueId, 'prov:activity': `nbprov:execution/${local(producer.executionId)}` });
      this.relate('hadMember', { 'prov:collection': trialId, 'prov:entity': valueId });
      for (const op of ops) {
        if (!op.value || op === producer) continue;
        const sourceId = this.entity(valueEntityId(op.executionId, op.value.name), valueAttributes(op.value));
        this.relate('wasGeneratedBy', { 'prov:entity': sourceId, 'prov:activity': `nbprov:execution/${local(op.executionId)}` });
        if (sourceId !== valueId) this.relate('wasDerivedFrom', { 'prov:generatedEntity': valueId, 'prov:usedEntity': sourceId });
      }
      // Files read in the value's lineage: per execution when the records say which, else the trial's.
      const lineageExecutions = new Set(ops.map((op) => op.executionId));
      const known = [...lineageExecutions].filter((id) => executionFiles.has(id));
      const files = known.length ? known.flatMap((id) => executionFiles.get(id) ?? []) : lineageExecutions.size ? trial.files : [];
      for (const file of files) {
        if (file.kind === 'write') continue;
        this.relate('wasDerivedFrom', { 'prov:generatedEntity': valueId, 'prov:usedEntity': this.file(file, file.hashBefore) });
      }
    }
  }
}

/** The trials and executions as one W3C PROV-JSON document. */
export function toProvJson(data: { trials: readonly Trial[]; executions?: readonly ExecutionRecord[] }): ProvDocument {
  const builder = new ProvBuilder();
  const executionFiles = new Map<string, FileAccessRecord[]>();
  for (const e of data.executions ?? []) {
    builder.execution(e);
    executionFiles.set(e.id, e.files);
  }
  for (const trial of data.trials) builder.trial(trial, executionFiles);
  return builder.doc;
}
