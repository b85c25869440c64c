import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionRecord } from '../../src/core/records';
import { buildTrial, type BuildTrialInput } from '../../src/core/trials/buildTrial';
import { TrialBuildError } from '../../src/core/trials/errors';
import { compareTrials } from '../../src/core/trials/compare';

function execution(id: string, cellIndex: number, code: string, fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id, sessionId: 's', notebookPath: 'nb.ipynb', cellId: `cell${cellIndex}`, cellIndex, language: 'python', code,
    executionCount: Number(id.slice(1)), success: true, startedAt: `2024-05-01T10:00:0${id.slice(1)}Z`, durationMs: 5, values: [], files: [], ...fields,
  };
}

const executions: ExecutionRecord[] = [
  execution('e1', 0, 'df = pd.read_csv("iris.csv")', {
    values: [{ name: 'df', type: 'pandas.core.frame.DataFrame', repr: 'df', hash: 'h-df', shape: [150, 5] }],
    files: [{ path: 'iris.csv', mode: 'r', kind: 'read', hashBefore: 'h-iris' }, { path: 'log.txt', mode: 'w', kind: 'write', hashAfter: 'x' }],
  }),
  execution('e2', 1, 'n = 10\nn = 20', { values: [{ name: 'n', type: 'int', repr: '20', value: 20 }] }),
  execution('e3', 2, 'unrelated = 1', { values: [{ name: 'unrelated', type: 'int', repr: '1', value: 1 }] }),
  execution('e4', 3, 'acc = score(df, n)', { values: [{ name: 'acc', type: 'float', repr: '0.9', value: 0.9 }] }),
  execution('e5', 3, 'acc = score(df, n)  # failed rerun', { success: false, values: [{ name: 'acc', type: 'float', repr: '0.1', value: 0.1 }] }),
];

function input(fields: Partial<BuildTrialInput> = {}): BuildTrialInput {
  return {
    id: 't1', name: 'first', note: null, notebookPath: 'nb.ipynb', createdAt: '2024-05-01T11:00:00Z', sessionId: 's', params: { n: 20 },
    tags: { acc: 'metric', n: 'param', never: 'metric' },
    executions,
    slices: {
      acc: {
        executionIds: ['e4', 'e1', 'e2'],
        operations: [
          { executionId: 'e1', line: 1, code: 'df = pd.read_csv("iris.csv")', defines: ['df'] },
          { executionId: 'e2', line: 1, code: 'n = 10', defines: ['n'] },
          { executionId: 'e2', line: 2, code: 'n = 20', defines: ['n'] },
          { executionId: 'e4', line: 1, code: 'acc = score(df, n)', defines: ['acc'] },
        ],
      },
      n: { executionIds: ['e2'], operations: [{ executionId: 'e2', line: 2, code: 'n = 20', defines: ['n'] }] },
    },
    environment: { language: 'python', languageVersion: '3.11', packages: { pandas: '2.2.0' } },
    ...fields,
  };
}

describe('buildTrial', () => {
  test('tagged values come from the latest successful execution, with their roles', () => {
    const trial = buildTrial(input());
    assert.equal(trial.tagged.acc.value, 0.9, 'the failed rerun is ignored');
    assert.equal(trial.tagged.acc.role, 'metric');
    assert.equal(trial.tagged.n.value, 20);
    assert.equal(trial.tagged.n.role, 'param');
  });

  test('tagged names with no recorded value are listed as missing', () => {
    const trial = buildTrial(input());
    assert.deepEqual(trial.missing, ['never']);
    assert.equal(trial.tagged.never, undefined);
    assert.deepEqual(trial.lineage.never, []);
  });

  test('operations carry cell positions and the value recorded for what they define', () => {
    const ops = buildTrial(input()).lineage.acc;
    assert.deepEqual(ops.map((o) => [o.cellIndex, o.line, o.value?.name ?? null]), [[0, 1, 'df'], [1, 1, null], [1, 2, 'n'], [3, 1, 'acc']]);
    assert.equal(ops[0].cellId, 'cell0');
    assert.equal(ops[0].value?.hash, 'h-df');
  });

  test('executions involved keep execution order and code; files read keep their hashes, writes are left out', () => {
    const trial = buildTrial(input());
    assert.deepEqual(trial.executions.map((e) => e.id), ['e1', 'e2', 'e4']);
    assert.equal(trial.executions[2].code, 'acc = score(df, n)');
    assert.deepEqual(trial.files, [{ path: 'iris.csv', mode: 'r', kind: 'read', hashBefore: 'h-iris' }]);
    assert.deepEqual(trial.params, { n: 20 });
  });

  test('two trials built from different sessions compare on the values captured', () => {
    const other = executions.map((e) => (e.id === 'e4' ? { ...e, values: [{ name: 'acc', type: 'float', repr: '0.95', value: 0.95 }] } : e));
    const diff = compareTrials(buildTrial(input()), buildTrial(input({ id: 't2', executions: other })));
    assert.deepEqual(diff.common.map((c) => [c.name, c.equal]), [['acc', false], ['n', true]]);
  });

  test('a slice naming an unknown execution is a clear error', () => {
    const slices = { acc: { executionIds: ['e9'], operations: [] } };
    assert.throws(() => buildTrial(input({ slices })), (e: unknown) => e instanceof TrialBuildError && /execution e9.*not among/.test(e.message));
  });
});
