// Readable global history and stages in lineage (issue 12): `lineage --global` marks each
// execution's kernel session (its start, the trials saved from it), the restart between two
// sessions and the time each ran, shows an edited cell's changed lines in full, and every lineage
// listing shows the stage of a cell. Two real runs of one notebook, the second after an edit.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;
const LONG_LINE = `total = base * 2 + ${Array.from({ length: 30 }, (_, i) => i).join(' + ')}`;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('lineage-history');
  writeNotebook(ws, 'h.ipynb', [{ source: 'base = 1', tags: ['parameters'] }, { source: LONG_LINE, tags: ['stage:evaluation'] }], { nbprov: { variables: { total: 'metric' } } });
  nbprovJson(['run', 'h.ipynb', '--trial', 'first'], ws, 180_000);
  // The edit: the long line changes near its end, where a one-line summary would cut it.
  const file = path.join(ws, 'h.ipynb');
  const notebook = JSON.parse(readFileSync(file, 'utf8'));
  notebook.cells[1].source = LONG_LINE.replace('+ 29', '+ 2900') + '\nprint(total)';
  writeFileSync(file, JSON.stringify(notebook));
  nbprovJson(['run', 'h.ipynb', '--trial', 'second'], ws, 180_000);
});
after(() => removeWorkspace(ws));

interface Execution {
  cell: number | null;
  sessionId?: string;
  segment: number;
  restartBefore: boolean;
  startedAt?: string;
  trials: string[];
  stage?: string;
  edited?: { previousExecutionId: string; changes: { kind: string; line: string }[] };
}

describe('lineage --global reads as a history', () => {
  test('each execution carries its session, restart barrier, time, trials and stage', () => {
    const doc = nbprovJson(['lineage', 'h.ipynb', 'total', '--global'], ws);
    const executions = doc.executions as Execution[];
    assert.deepEqual(executions.map((e) => e.cell), [0, 1, 0, 1]);
    const [a, b, c, d] = executions;
    assert.ok(a.sessionId && a.sessionId === b.sessionId && c.sessionId === d.sessionId && a.sessionId !== c.sessionId, 'two sessions');
    assert.deepEqual(executions.map((e) => e.restartBefore), [false, false, true, false]);
    assert.deepEqual(executions.map((e) => e.segment), [0, 0, 1, 1]);
    assert.deepEqual(executions.map((e) => e.trials), [['first'], ['first'], ['second'], ['second']]);
    assert.ok(executions.every((e) => e.startedAt && !Number.isNaN(Date.parse(e.startedAt))), 'each has its start time');
    assert.deepEqual(executions.map((e) => e.stage ?? null), [null, 'evaluation', null, 'evaluation']);
    assert.equal(b.edited, undefined, 'the first run of a cell is no edit');
    assert.equal(c.edited, undefined, 'the same code again is no edit');
    assert.deepEqual(d.edited?.changes, [
      { kind: 'removed', line: LONG_LINE },
      { kind: 'added', line: LONG_LINE.replace('+ 29', '+ 2900') },
      { kind: 'added', line: 'print(total)' },
    ]);
  });

  test('the text listing shows session headers and the full changed lines', () => {
    const result = nbprov(['lineage', 'h.ipynb', 'total', '--global'], ws);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const headers = lines.filter((l) => l.includes('── session '));
    assert.equal(headers.length, 2, result.stdout);
    assert.match(headers[0], /kernel started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, trial "first"/);
    assert.match(headers[1], /trial "second"/);
    assert.ok(lines.some((l) => l.trim() === `- ${LONG_LINE}`), 'the old line in full');
    assert.ok(lines.some((l) => l.trim() === `+ ${LONG_LINE.replace('+ 29', '+ 2900')}`), 'the new line in full, not cut');
    assert.ok(lines.some((l) => /cell 1\s+\[2\]\s+\d\d:\d\d:\d\d \(evaluation\) total = /.test(l)), `time and stage on the line:\n${result.stdout}`);
  });

  test('lineage without --global and --operations show the stage of each cell', () => {
    const text = nbprov(['lineage', 'h.ipynb', 'total', '--operations'], ws).stdout;
    assert.match(text, /cell 1\s+\[2\]\s+\(evaluation\) total = /);
    assert.match(text, /cell 1:1\s+\(evaluation\) total = /);
    const doc = nbprovJson(['lineage', 'h.ipynb', 'total', '--operations'], ws);
    assert.deepEqual(
      doc.operations.map((op: { cell: number; stage?: string }) => [op.cell, op.stage ?? null]),
      [
        [0, null],
        [1, 'evaluation'],
      ],
    );
  });
});
