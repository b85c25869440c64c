/**
 * Aliasing that only the run shows: `b = globals()["a"]` makes `b` the same list as `a`, which the
 * static may-alias analysis cannot see. The recorder notes the objects' identities, the store keeps
 * them, and lineage (the way `nbprov dependents` / `stale` compute it) follows the alias; the
 * same records without identities show what static analysis alone answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dependents, staleCells } from '../../src/core/lineage';
import { plainNotebookView } from '../../src/core/notebook/plainView';
import { notebookLineage } from '../../src/core/notebookLineage';
import type { ExecutionRecord } from '../../src/core/records';
import { openStoreAt } from '../../src/core/store';
import type { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { runCells } from '../../src/kernel/runCells';
import { createAnalyzer } from '../../src/core/analysis';
import { KERNEL_TEST_TIMEOUT, startKernel } from './helpers';

const NOTEBOOK = 'nb.ipynb';

let client: JupyterServerClient;
let session: RecorderSession;

/** Runs `[cellIndex, code]` pairs in order in the kernel, each recorded as that cell. */
async function run(history: readonly [number, string][]): Promise<ExecutionRecord[]> {
  const records: ExecutionRecord[] = [];
  for (const [index, code] of history) {
    const result = await runCells(client, [{ cellId: `c${index}`, cellIndex: index, code }], { notebookPath: NOTEBOOK, session });
    assert.equal(result.executions.length, 1, `cell ${index} was not recorded`);
    assert.ok(result.executions[0]!.success, `cell ${index} failed: ${JSON.stringify(result.executions[0]!.error)}`);
    records.push(result.executions[0]!);
  }
  return records;
}

/** Dependents of a cell and the stale cells, from the records put in a real store (as the CLI reads them). */
async function answers(records: readonly ExecutionRecord[], cells: readonly string[], cell: number): Promise<{ dependents: number[]; stale: number[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-identity-store-'));
  try {
    const store = await openStoreAt(path.join(dir, 'store.sqlite'));
    for (const record of records) store.addExecution(record);
    const notebook = plainNotebookView(NOTEBOOK, cells.map((source, index) => ({ cellType: 'code' as const, source, languageId: 'python', executionCount: null, id: `c${index}` })), {});
    const lineage = notebookLineage({ notebook, notebookKey: NOTEBOOK, store, analyzer: await createAnalyzer() });
    assert.equal(lineage.source, 'recorded');
    store.close();
    const indices = (cells: readonly { cellIndex: number | null }[]) => cells.map((c) => c.cellIndex!).sort((a, b) => a - b);
    return { dependents: indices(dependents(lineage.graph, { cellId: `c${cell}` }).cells), stale: indices(staleCells(lineage.graph)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function withoutIdentities(records: readonly ExecutionRecord[]): ExecutionRecord[] {
  return records.map(({ identities: _dropped, ...rest }) => rest);
}

describe('run-time object identities make aliasing exact', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  before(async () => {
    ({ client } = await startKernel());
    session = new RecorderSession(client, NOTEBOOK);
    await session.ensureInstalled();
  });
  after(async () => {
    await client?.dispose();
  });

  test('b = globals()["a"]; b.append(3) changes a: the reader of a is a dependent and stale', async () => {
    const cells = ['a = [1, 2]', 'b = globals()["a"]', 'b.append(3)', 'print(len(a))'];
    const records = await run([[0, cells[0]], [1, cells[1]], [2, cells[2]], [3, cells[3]], [2, cells[2]]]);
    const bound = records[1]!.identities;
    assert.ok(bound?.a && bound.b, `identities of a and b recorded: ${JSON.stringify(bound)}`);
    assert.equal(bound.b.id, bound.a.id, 'b is the same object as a when the cell ended');

    const dynamic = await answers(records, cells, 2);
    assert.deepEqual(dynamic.dependents, [3], 'with identities, the mutation of b reaches the reader of a');
    assert.deepEqual(dynamic.stale, [3], 'the re-run append makes the reader stale');

    const staticOnly = await answers(withoutIdentities(records), cells, 2);
    assert.deepEqual(staticOnly.dependents, [], 'static analysis alone misses the alias');
    assert.deepEqual(staticOnly.stale, []);
  });

  test('a list holding a (built through globals()) has it as an element: changing the element changes a', async () => {
    const cells = ['x = [0]', 'rows = [globals()["x"], [5]]', 'rows[0].append(1)', 'print(sum(x))'];
    const records = await run(cells.map((code, index) => [index, code] as [number, string]));
    const built = records[1]!.identities;
    assert.ok(built?.rows?.members?.includes(built.x?.id ?? '-'), `x's id is a member of rows: ${JSON.stringify(built)}`);
    assert.deepEqual((await answers(records, cells, 2)).dependents, [3]);
    assert.deepEqual((await answers(withoutIdentities(records), cells, 2)).dependents, []);
  });

  test('values nothing shares add no alias: a fresh copy stays apart', async () => {
    const cells = ['p = [1, 2]', 'q = list(globals()["p"])', 'q.append(3)', 'print(len(p))'];
    const records = await run(cells.map((code, index) => [index, code] as [number, string]));
    const copied = records[1]!.identities;
    assert.ok(copied?.q, 'q has an identity');
    assert.equal(copied.p, undefined, 'p holds no object q shares, so it is not listed');
    assert.deepEqual((await answers(records, cells, 2)).dependents, []);
  });
});
