import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csvParse } from 'd3-dsv';
import type { ExecutionRecord } from '../../src/core/records';
import { buildTrial } from '../../src/core/trials/buildTrial';
import { exportStore } from '../../src/core/trials/exportStore';
import { toProvJson, type ProvDocument } from '../../src/core/trials/exportProv';
import { UnknownExportFormatError } from '../../src/core/trials/errors';
import { trial, value } from './helpers';

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

function allIds(doc: ProvDocument): Set<string> {
  return new Set([...Object.keys(doc.entity), ...Object.keys(doc.activity), ...Object.keys(doc.agent)]);
}

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

describe('PROV-JSON', () => {
  const doc = toProvJson({ trials: [built], executions });

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

  test('relations: used, wasGeneratedBy, wasDerivedFrom, wasAssociatedWith, hadMember', () => {
    const rel = (kind: keyof ProvDocument) => Object.values(doc[kind]) as Record<string, unknown>[];
    assert.ok(rel('used').some((r) => r['prov:activity'] === 'nbprov:execution/e1' && r['prov:entity'] === 'nbprov:file/data%2Firis%202.csv/h-iris'));
    assert.ok(rel('wasGeneratedBy').some((r) => r['prov:entity'] === 'nbprov:value/e2/loss' && r['prov:activity'] === 'nbprov:execution/e2'));
    assert.ok(rel('wasGeneratedBy').some((r) => r['prov:entity'] === 'nbprov:file/out.csv/h-out'));
    assert.ok(rel('wasDerivedFrom').some((r) => r['prov:generatedEntity'] === 'nbprov:value/e2/loss' && r['prov:usedEntity'] === 'nbprov:value/e1/df'));
    assert.ok(rel('wasDerivedFrom').some((r) => r['prov:generatedEntity'] === 'nbprov:value/e2/loss' && r['prov:usedEntity'] === 'nbprov:file/data%2Firis%202.csv/h-iris'));
    assert.equal(rel('wasAssociatedWith').length, 2);
    assert.ok(rel('hadMember').some((r) => r['prov:collection'] === 'nbprov:trial/T1' && r['prov:entity'] === 'nbprov:value/e2/loss'));
    assert.equal(doc.entity['nbprov:value/e2/loss']['nbprov:role'], 'metric');
  });

  test('every id a relation refers to is declared, and relation ids are unique blank nodes', () => {
    const ids = allIds(doc);
    const refKeys = ['prov:activity', 'prov:entity', 'prov:agent', 'prov:generatedEntity', 'prov:usedEntity', 'prov:collection'];
    for (const kind of ['used', 'wasGeneratedBy', 'wasDerivedFrom', 'wasAssociatedWith', 'hadMember'] as const) {
      for (const [key, relation] of Object.entries(doc[kind])) {
        assert.match(key, /^_:/);
        for (const refKey of refKeys) {
          const ref = relation[refKey];
          if (ref !== undefined) assert.ok(ids.has(String(ref)), `${kind} ${key} refers to undeclared ${String(ref)}`);
        }
      }
    }
  });

  test('trials alone (no execution records) still give a consistent document', () => {
    const alone = toProvJson({ trials: [built] });
    const ids = allIds(alone);
    assert.ok(alone.activity['nbprov:execution/e2']);
    for (const relation of Object.values(alone.wasDerivedFrom)) {
      assert.ok(ids.has(String(relation['prov:generatedEntity'])) && ids.has(String(relation['prov:usedEntity'])));
    }
    assert.ok(Object.values(alone.wasDerivedFrom).some((r) => r['prov:usedEntity'] === 'nbprov:file/data%2Firis%202.csv/h-iris'));
  });
});
