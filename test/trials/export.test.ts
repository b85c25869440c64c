import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csvParse } from 'd3-dsv';
import type { ExecutionRecord } from '../../src/core/records';
import { buildTrial } from '../../src/core/trials/buildTrial';
import { exportStore } from '../../src/core/trials/exportStore';
import { toProvJson, type ProvDocument } from '../../src/core/trials/exportProv';
import { UnknownExportFormatError } from '../../src/core/trials/errors';
import { createAnalyzer } from '../../src/core/analysis';
import { analysedExecution, analysedLineageGraph } from '../../src/core/notebookLineage';
import { provLineage } from '../../src/core/trials/provLineage';
import { trial, value } from './helpers';
import { checkProvDocument, loadWithPythonProv } from './provCheck';

const exec = (id: string, code: string, fields: Partial<ExecutionRecord>): ExecutionRecord => ({
  id, sessionId: 's', notebookPath: 'nb.ipynb', cellId: `c-${id}`, cellIndex: 0, language: 'python', code, executionCount: 1,
  success: true, startedAt: '2024-05-01T10:00:00.000Z', durationMs: 1500, values: [], files: [], ...fields,
});

const executions = [
  exec('e1', 'df = pd.read_csv("data/iris 2.csv")', {
    values: [{ name: 'df', type: 'pandas.core.frame.DataFrame', repr: 'df', hash: 'h-df', shape: [150, 5] }],
    files: [{ path: 'data/iris 2.csv', mode: 'r', kind: 'read', hashBefore: 'h-iris' }],
  }),
  exec('e2', 'loss = fit(df)\ndf.to_csv("out.csv")', {
    executionCount: 2,
    startedAt: '2024-05-01T10:00:05.000Z',
    values: [{ name: 'loss', type: 'float', repr: 'nan', value: 'NaN' }],
    files: [{ path: 'out.csv', mode: 'w', kind: 'write', hashAfter: 'h-out' }],
  }),
];

const built = buildTrial({
  id: 'T1', name: 'first', note: null, notebookPath: 'nb.ipynb', createdAt: '2024-05-01T10:01:00Z', sessionId: 's', params: { lr: 0.1 },
  tags: { loss: 'metric' }, executions,
  slices: { loss: { executionIds: ['e1', 'e2'], operations: [
    { executionId: 'e1', line: 1, code: executions[0].code, defines: ['df'] },
    { executionId: 'e2', line: 1, code: 'loss = fit(df)', defines: ['loss'] },
  ] } },
  environment: null,
});


describe('exportStore', () => {
  test('json holds every trial and execution and parses back', () => {
    const parsed = JSON.parse(exportStore({ trials: [built], executions }, 'json'));
    assert.equal(parsed.format, 'nbprov-export');
    assert.equal(parsed.trials[0].id, 'T1');
    assert.equal(parsed.trials[0].tagged.loss.value, 'NaN');
    assert.equal(parsed.executions.length, 2);
  });

  test('csv has one row per trial × tagged variable, escaped', () => {
    const t2 = trial('T2', { name: 'second, "quoted"', tagged: { acc: value('acc', { value: 0.5 }), note: value('note', { type: 'str', value: 'line1\nline2 — é' }) } });
    const rows = csvParse(exportStore({ trials: [built, t2] }, 'csv'));
    assert.deepEqual(rows.map((r) => [r.trial_id, r.variable]), [['T1', 'loss'], ['T2', 'acc'], ['T2', 'note']]);
    assert.equal(rows[1].trial_name, 'second, "quoted"');
    assert.equal(rows[2].value, 'line1\nline2 — é');
    assert.equal(rows[0].value, 'NaN');
  });

  test('an unknown format is a typed error naming the valid ones', () => {
    assert.throws(() => exportStore({ trials: [] }, 'xml'), (e: unknown) => e instanceof UnknownExportFormatError && /json, csv, prov-json/.test(e.message));
  });
});

describe('PROV-JSON', async () => {
  const analyzer = await createAnalyzer();
  const lineageOf = (records: ExecutionRecord[]) => provLineage(analysedLineageGraph(records.map((r) => analysedExecution(r)), analyzer));
  const doc = toProvJson({ trials: [built], executions, lineage: lineageOf(executions) });

  test('declares prefixes and describes executions as activities with start and end times', () => {
    assert.equal(doc.prefix.nbprov, 'urn:nbprov:');
    assert.ok(doc.prefix.xsd);
    const e2 = doc.activity['nbprov:execution/e2'];
    assert.equal(e2['prov:startTime'], '2024-05-01T10:00:05.000Z');
    assert.equal(e2['prov:endTime'], '2024-05-01T10:00:06.500Z');
  });

  test('values and files are entities; file entities carry their hashes', () => {
    assert.ok(doc.entity['nbprov:value/e1/df']);
    assert.deepEqual(doc.entity['nbprov:value/e2/loss']['prov:value'], { $: 'NaN', type: 'xsd:double' });
    const file = doc.entity['nbprov:file/data%2Firis%202.csv/h-iris'];
    assert.equal(file['nbprov:hash'], 'h-iris');
    assert.equal(file['nbprov:path'], 'data/iris 2.csv');
    assert.equal(doc.entity['nbprov:file/out.csv/h-out']['nbprov:hash'], 'h-out');
  });

  test('relations: used (values and files), wasGeneratedBy, wasDerivedFrom, wasAssociatedWith, hadMember', () => {
    const rel = (kind: keyof ProvDocument) => Object.values(doc[kind]) as Record<string, unknown>[];
    assert.ok(rel('used').some((r) => r['prov:activity'] === 'nbprov:execution/e1' && r['prov:entity'] === 'nbprov:file/data%2Firis%202.csv/h-iris'));
    assert.ok(rel('used').some((r) => r['prov:activity'] === 'nbprov:execution/e2' && r['prov:entity'] === 'nbprov:value/e1/df'), 'e2 used the df e1 made');
    assert.ok(rel('wasGeneratedBy').some((r) => r['prov:entity'] === 'nbprov:value/e2/loss' && r['prov:activity'] === 'nbprov:execution/e2'));
    assert.ok(rel('wasGeneratedBy').some((r) => r['prov:entity'] === 'nbprov:file/out.csv/h-out'));
    assert.ok(rel('wasDerivedFrom').some((r) => r['prov:generatedEntity'] === 'nbprov:value/e2/loss' && r['prov:usedEntity'] === 'nbprov:value/e1/df'));
    assert.equal(rel('wasAssociatedWith').length, 2);
    assert.ok(rel('hadMember').some((r) => r['prov:collection'] === 'nbprov:trial/T1' && r['prov:entity'] === 'nbprov:value/e2/loss'));
    assert.equal(doc.entity['nbprov:value/e2/loss']['nbprov:role'], 'metric');
  });

  test('no dangling or duplicated records: every endpoint declared, one generation per entity', () => {
    assert.deepEqual(checkProvDocument(doc), []);
  });

  test('derivations are per name and direct: c from a only, d from b only, the new c from the old c and d', () => {
    const cell = (id: string, code: string, values: ExecutionRecord['values']) => exec(id, code, { cellId: `c-${id}`, executionCount: Number(id.slice(1)), values });
    const records = [
      cell('x1', 'a = 1\nb = 2', [{ name: 'a', type: 'int', repr: '1', value: 1 }, { name: 'b', type: 'int', repr: '2', value: 2 }]),
      cell('x2', 'c = a + 1\nd = b * 2', [{ name: 'c', type: 'int', repr: '2', value: 2 }, { name: 'd', type: 'int', repr: '4', value: 4 }]),
      cell('x3', 'c = c + d', [{ name: 'c', type: 'int', repr: '6', value: 6 }]),
    ];
    const prov = toProvJson({ trials: [], executions: records, lineage: lineageOf(records) });
    const derived = (entity: string) => Object.values(prov.wasDerivedFrom).filter((r) => r['prov:generatedEntity'] === entity).map((r) => r['prov:usedEntity']).sort();
    assert.deepEqual(derived('nbprov:value/x2/c'), ['nbprov:value/x1/a']);
    assert.deepEqual(derived('nbprov:value/x2/d'), ['nbprov:value/x1/b']);
    assert.deepEqual(derived('nbprov:value/x3/c'), ['nbprov:value/x2/c', 'nbprov:value/x2/d']);
    assert.deepEqual(derived('nbprov:value/x1/a'), []);
    const used = (activity: string) => Object.values(prov.used).filter((r) => r['prov:activity'] === activity).map((r) => r['prov:entity']).sort();
    assert.deepEqual(used('nbprov:execution/x2'), ['nbprov:value/x1/a', 'nbprov:value/x1/b']);
    assert.deepEqual(used('nbprov:execution/x3'), ['nbprov:value/x2/c', 'nbprov:value/x2/d']);
    assert.deepEqual(checkProvDocument(prov), []);
  });

  test('trials carry their note, parameters, environment and stages; executions their stage', () => {
    const noted = { ...built, note: 'baseline run', environment: { language: 'python', languageVersion: '3.11', packages: { pandas: '2.2.0' } }, executions: built.executions.map((e) => ({ ...e, stage: e.id === 'e1' ? 'data-reading' : 'evaluation' })) };
    const prov = toProvJson({ trials: [noted], executions, lineage: lineageOf(executions) });
    const t = prov.entity['nbprov:trial/T1'];
    assert.equal(t['nbprov:note'], 'baseline run');
    assert.equal(t['nbprov:language'], 'python 3.11');
    assert.equal(t['nbprov:packages'], '{"pandas":"2.2.0"}');
    assert.equal(t['nbprov:params'], '{"lr":0.1}');
    assert.equal(t['nbprov:stages'], '["data-reading","evaluation"]');
    assert.equal(prov.activity['nbprov:execution/e1']['nbprov:stage'], 'data-reading');
  });

  test('trials alone (no execution records, no lineage) still give a consistent document', () => {
    const alone = toProvJson({ trials: [built] });
    assert.ok(alone.activity['nbprov:execution/e2']);
    assert.deepEqual(checkProvDocument(alone), []);
  });

  test("Debian's python3-prov loads the document with the same records", () => {
    const counts = loadWithPythonProv(doc);
    assert.ok(Object.keys(doc.used).length > 0 && Object.keys(doc.wasDerivedFrom).length > 0);
    assert.equal(counts.ProvEntity ?? 0, Object.keys(doc.entity).length);
    assert.equal(counts.ProvActivity ?? 0, Object.keys(doc.activity).length);
    assert.equal(counts.ProvGeneration ?? 0, Object.keys(doc.wasGeneratedBy).length);
    assert.equal(counts.ProvUsage ?? 0, Object.keys(doc.used).length);
    assert.equal(counts.ProvDerivation ?? 0, Object.keys(doc.wasDerivedFrom).length);
    assert.equal(counts.ProvMembership ?? 0, Object.keys(doc.hadMember).length);
  });
});
