/**
 * The store as W3C PROV-JSON: an activity per cell execution, an entity per value (a name as an
 * execution left it) and per file version; `used` for every value an execution read (its reaching
 * definition, from lineage) and every file it read; one `wasGeneratedBy` per entity; direct
 * `wasDerivedFrom` edges between values, per name (from lineage); trials as collections of their
 * tagged values, with parameters, note, environment and stages as attributes.
 */
import type { EffectiveParam, ExecutionRecord, FileAccessRecord, JsonValue, Trial, TrialExecution, ValueSummary } from '../records';
import { summaryNumber } from './numbers';
import type { ProvLineage } from './provLineage';

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

export interface ProvInput {
  trials: readonly Trial[];
  executions?: readonly ExecutionRecord[];
  /** Reads and per-name derivations (provLineage over each notebook's lineage graph). Without it, no value `used`/`wasDerivedFrom`. */
  lineage?: ProvLineage;
  /** notebook key → cell id → stage, from the notebooks' `stage:` tags (trials carry their own). */
  stages?: Record<string, Record<string, string>>;
}

/** A URN, so ids expand to IRIs (`urn:nbprov:value/…`) without claiming a web domain. */
export const NBPROV_NAMESPACE = 'urn:nbprov:';
const AGENT = 'nbprov:software/nbprov';

const qualified = (name: string) => ({ $: name, type: 'prov:QUALIFIED_NAME' });

/** Percent-encodes a part of an id so that paths and unicode names give valid, unambiguous QNames. */
function local(part: string): string {
  return encodeURIComponent(part);
}

export function valueEntityId(executionId: string, name: string): string {
  return `nbprov:value/${local(executionId)}/${local(name)}`;
}

function executionActivityId(executionId: string): string {
  return `nbprov:execution/${local(executionId)}`;
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
  const attrs: ProvAttributes = { 'prov:type': qualified('nbprov:Value'), 'prov:label': summary.name, 'nbprov:name': summary.name, 'nbprov:type': summary.type, 'nbprov:repr': summary.repr };
  const v = literal(summary.value, summary);
  if (v !== undefined) attrs['prov:value'] = v;
  if (summary.hash) attrs['nbprov:hash'] = summary.hash;
  // Without a hash, say why: readers must not take an equal repr for equal content.
  else if (summary.deferred) attrs['nbprov:hashState'] = summary.deferred;
  if (summary.shape) attrs['nbprov:shape'] = JSON.stringify(summary.shape);
  if (summary.dtype) attrs['nbprov:dtype'] = typeof summary.dtype === 'string' ? summary.dtype : JSON.stringify(summary.dtype);
  if (summary.columns) attrs['nbprov:columns'] = JSON.stringify(summary.columns);
  if (summary.params) attrs['nbprov:params'] = JSON.stringify(summary.params);
  return attrs;
}

function endTime(execution: ExecutionRecord): string | undefined {
  const start = Date.parse(execution.startedAt);
  return Number.isNaN(start) ? undefined : new Date(start + execution.durationMs).toISOString();
}

function effectiveParamsJson(params: Record<string, EffectiveParam>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(params).map(([k, p]) => [k, { value: p.value ?? p.repr, source: p.source }])));
}

class ProvBuilder {
  readonly doc: ProvDocument = {
    prefix: { nbprov: NBPROV_NAMESPACE, xsd: 'http://www.w3.org/2001/XMLSchema#' },
    entity: {},
    activity: {},
    agent: { [AGENT]: { 'prov:type': qualified('prov:SoftwareAgent'), 'prov:label': 'nbprov' } },
    used: {},
    wasGeneratedBy: {},
    wasDerivedFrom: {},
    wasAssociatedWith: {},
    hadMember: {},
  };
  private counter = 0;
  private readonly relationKeys = new Set<string>();
  /** Entities with their one generation. */
  private readonly generated = new Set<string>();

  entity(id: string, attrs: ProvAttributes): string {
    this.doc.entity[id] = { ...attrs, ...this.doc.entity[id] };
    return id;
  }

  activity(id: string, attrs: ProvAttributes): string {
    if (!this.doc.activity[id]) this.relate('wasAssociatedWith', [id, AGENT], { 'prov:activity': id, 'prov:agent': AGENT });
    this.doc.activity[id] = { ...attrs, ...this.doc.activity[id] };
    return id;
  }

  /** One record per `key` (the relation's endpoints): repeated facts are not repeated records. */
  relate(kind: Exclude<keyof ProvDocument, 'prefix' | 'entity' | 'activity' | 'agent'>, key: string[], attrs: ProvAttributes): void {
    const k = `${kind}|${key.join('|')}`;
    if (this.relationKeys.has(k)) return;
    this.relationKeys.add(k);
    this.doc[kind][`_:${kind}${++this.counter}`] = attrs;
  }

  generation(entity: string, activity: string, time?: string): void {
    if (this.generated.has(entity)) return;
    this.generated.add(entity);
    this.relate('wasGeneratedBy', [entity], { 'prov:entity': entity, 'prov:activity': activity, ...(time ? { 'prov:time': time } : {}) });
  }

  file(file: FileAccessRecord, hash: string | null | undefined): string {
    const attrs: ProvAttributes = { 'prov:type': qualified('nbprov:File'), 'prov:label': file.path, 'nbprov:path': file.path };
    if (hash) attrs['nbprov:hash'] = hash;
    if (file.size != null) attrs['nbprov:size'] = file.size;
    return this.entity(fileEntityId(file.path, hash), attrs);
  }

  /** A value entity generated by its execution (created bare when the recorder kept no summary, e.g. a module). */
  value(executionId: string, name: string, summary?: ValueSummary): string {
    const id = valueEntityId(executionId, name);
    this.entity(id, summary ? valueAttributes(summary) : { 'prov:type': qualified('nbprov:Value'), 'prov:label': name, 'nbprov:name': name });
    this.generation(id, executionActivityId(executionId));
    return id;
  }

  execution(e: ExecutionRecord, stage: string | undefined): void {
    const id = executionActivityId(e.id);
    const end = endTime(e);
    const attrs: ProvAttributes = { 'prov:type': qualified('nbprov:CellExecution'), 'prov:startTime': e.startedAt, 'nbprov:cellId': e.cellId, 'nbprov:code': e.code, 'nbprov:success': e.success, 'nbprov:notebook': e.notebookPath, 'nbprov:session': e.sessionId };
    if (end) attrs['prov:endTime'] = end;
    if (e.cellIndex !== null) attrs['nbprov:cellIndex'] = e.cellIndex;
    if (e.executionCount !== null) attrs['nbprov:executionCount'] = e.executionCount;
    if (stage) attrs['nbprov:stage'] = stage;
    this.activity(id, attrs);
    for (const value of e.values) {
      const entity = valueEntityId(e.id, value.name);
      this.entity(entity, valueAttributes(value));
      this.generation(entity, id, end ?? e.startedAt);
    }
    for (const file of e.files) {
      if (file.kind !== 'write') {
        const entity = this.file(file, file.hashBefore);
        this.relate('used', [id, entity], { 'prov:activity': id, 'prov:entity': entity });
      }
      if (file.kind !== 'read') this.generation(this.file(file, file.hashAfter), id, end);
    }
  }

  /** An execution known only from a trial (its record is not in the export). */
  trialExecution(e: TrialExecution, notebook: string): void {
    const attrs: ProvAttributes = { 'prov:type': qualified('nbprov:CellExecution'), 'nbprov:cellId': e.cellId, 'nbprov:code': e.code, 'nbprov:notebook': notebook };
    if (e.stage) attrs['nbprov:stage'] = e.stage;
    this.activity(executionActivityId(e.id), attrs);
  }

  lineage(lineage: ProvLineage): void {
    for (const [executionId, reads] of lineage.reads) {
      const activity = executionActivityId(executionId);
      if (!this.doc.activity[activity]) continue;
      for (const read of reads) {
        if (!this.doc.activity[executionActivityId(read.executionId)]) continue;
        const entity = this.value(read.executionId, read.name);
        this.relate('used', [activity, entity], { 'prov:activity': activity, 'prov:entity': entity });
      }
    }
    for (const [key, sources] of lineage.derivations) {
      const [executionId, name] = key.split('\u0000');
      if (!this.doc.activity[executionActivityId(executionId)]) continue;
      const generated = this.value(executionId, name);
      for (const source of sources) {
        if (!this.doc.activity[executionActivityId(source.executionId)]) continue;
        const used = this.value(source.executionId, source.name);
        if (used !== generated) this.relate('wasDerivedFrom', [generated, used], { 'prov:generatedEntity': generated, 'prov:usedEntity': used });
      }
    }
  }

  trial(trial: Trial): void {
    const attrs: ProvAttributes = {
      'prov:type': qualified('prov:Collection'),
      'nbprov:kind': 'nbprov:Trial',
      'prov:label': trial.name ?? trial.id,
      'nbprov:notebook': trial.notebookPath,
      'nbprov:createdAt': trial.createdAt,
      'nbprov:params': JSON.stringify(trial.params),
    };
    if (trial.name) attrs['nbprov:name'] = trial.name;
    if (trial.note) attrs['nbprov:note'] = trial.note;
    if (trial.sessionId) attrs['nbprov:session'] = trial.sessionId;
    if (trial.effectiveParams) attrs['nbprov:effectiveParams'] = effectiveParamsJson(trial.effectiveParams);
    if (trial.environment) {
      attrs['nbprov:language'] = `${trial.environment.language} ${trial.environment.languageVersion}`.trim();
      attrs['nbprov:packages'] = JSON.stringify(trial.environment.packages);
      if (trial.environment.kernelName) attrs['nbprov:kernel'] = trial.environment.kernelName;
    }
    const stages = [...new Set(trial.executions.flatMap((e) => (e.stage ? [e.stage] : [])))];
    if (stages.length) attrs['nbprov:stages'] = JSON.stringify(stages);
    if (trial.files.length) attrs['nbprov:filesRead'] = JSON.stringify(trial.files.map((f) => ({ path: f.path, hash: f.hashBefore ?? f.hashAfter ?? null })));
    const trialId = this.entity(`nbprov:trial/${local(trial.id)}`, attrs);
    for (const e of trial.executions) this.trialExecution(e, trial.notebookPath);
    for (const [name, tagged] of Object.entries(trial.tagged)) {
      const ops = trial.lineage[name] ?? [];
      const producer = [...ops].reverse().find((op) => op.defines.includes(name));
      let valueId: string;
      if (producer) {
        if (!this.doc.activity[executionActivityId(producer.executionId)]) this.activity(executionActivityId(producer.executionId), { 'prov:type': qualified('nbprov:CellExecution'), 'nbprov:cellId': producer.cellId, 'nbprov:notebook': trial.notebookPath });
        valueId = this.value(producer.executionId, name, tagged);
      } else valueId = this.entity(`nbprov:value/trial-${local(trial.id)}/${local(name)}`, valueAttributes(tagged));
      this.doc.entity[valueId]['nbprov:role'] = tagged.role;
      this.relate('hadMember', [trialId, valueId], { 'prov:collection': trialId, 'prov:entity': valueId });
    }
  }
}

/** The trials and executions as one W3C PROV-JSON document. */
export function toProvJson(data: ProvInput): ProvDocument {
  const builder = new ProvBuilder();
  const trialStages = new Map<string, string>();
  for (const trial of data.trials) for (const e of trial.executions) if (e.stage) trialStages.set(e.id, e.stage);
  for (const e of data.executions ?? []) builder.execution(e, trialStages.get(e.id) ?? data.stages?.[e.notebookPath]?.[e.cellId]);
  for (const trial of data.trials) builder.trial(trial);
  if (data.lineage) builder.lineage(data.lineage);
  return builder.doc;
}
