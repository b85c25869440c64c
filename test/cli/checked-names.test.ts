// Checked names (issue 12): `tag` refuses a variable no cell defines, a role or stage one letter
// from a known one and a stage on a markdown cell, each naming the closest valid choices, and
// leaves the notebook untouched; `run --param` refuses a name the parameters cell does not assign
// before any kernel starts; `--new-param` injects a new name on purpose (real kernel).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook, type CliResult } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('checked-names');
});
after(() => removeWorkspace(ws));

function assertRefused(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  assert.ok(!result.stderr.includes('    at '), `stack trace on stderr:\n${result.stderr}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  assert.match(last, /^nbprov: /);
  assert.match(last, pattern);
}

const CELLS = [
  { source: '# Scores', type: 'markdown' as const },
  { source: 'n_estimators = 10\nmax_depth = 3', tags: ['parameters'] },
  'from sklearn.metrics import roc_auc_score\nauc = roc_auc_score([0, 1], [0.2, 0.9])',
  'recall = 0.5',
];

describe('nbprov tag checks names, roles and stages', () => {
  test('a variable no cell defines is refused with the closest defined names; --force tags it', () => {
    const file = writeNotebook(ws, 'vars.ipynb', CELLS);
    const before = readFileSync(file, 'utf8');
    assertRefused(nbprov(['tag', 'vars.ipynb', 'aucc', 'metric'], ws), /no cell of vars\.ipynb defines "aucc"; did you mean auc\?.*--force/);
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing written');
    assert.equal(nbprovJson(['tag', 'vars.ipynb', 'auc', 'metric'], ws).variables.auc, 'metric');
    assert.equal(nbprovJson(['tag', 'vars.ipynb', 'roc_auc_score', 'function'], ws).variables.roc_auc_score, 'function', 'imported names are defined names');
    assert.equal(nbprovJson(['tag', 'vars.ipynb', 'made_at_run_time', 'metric', '--force'], ws).variables.made_at_run_time, 'metric');
  });

  test('a role one letter from a known role is refused as a typo; a far free-text role and any capitalisation of a known one are accepted', () => {
    const file = writeNotebook(ws, 'roles.ipynb', CELLS);
    const before = readFileSync(file, 'utf8');
    assertRefused(nbprov(['tag', 'roles.ipynb', 'auc', 'metrc'], ws), /role "metrc" looks like a typo: did you mean metric\?.*--force/);
    assertRefused(nbprov(['tag', 'roles.ipynb', 'n_estimators', 'parm'], ws), /did you mean param\?/);
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing written');
    assert.equal(nbprovJson(['tag', 'roles.ipynb', 'recall', 'Metrics'], ws).variables.recall, 'metric', 'plural and capitalised known roles become the role');
    assert.equal(nbprovJson(['tag', 'roles.ipynb', 'recall', 'loss'], ws).variables.recall, 'loss', 'a role far from every known one is a role of its own');
    assert.equal(nbprovJson(['tag', 'roles.ipynb', 'auc', 'metrc', '--force'], ws).variables.auc, 'metrc');
  });

  test('a stage on a markdown cell is refused naming the nearest code cells; a stage typo needs --force', () => {
    const file = writeNotebook(ws, 'stages.ipynb', CELLS);
    const before = readFileSync(file, 'utf8');
    assertRefused(nbprov(['tag', 'stages.ipynb', '--cell', '0', 'evaluation'], ws), /cell 0 is a markdown cell; stages belong to code cells \(the nearest code cells are 1\)/);
    assertRefused(nbprov(['tag', 'stages.ipynb', '--cell', '0', 'evaluation', '--force'], ws), /markdown cell/);
    assertRefused(nbprov(['tag', 'stages.ipynb', '--cell', '2', 'evalution'], ws), /stage "evalution" looks like a typo: did you mean evaluation\?/);
    assert.equal(readFileSync(file, 'utf8'), before, 'nothing written');
    const set = nbprovJson(['tag', 'stages.ipynb', '--cell', '2', 'evaluation'], ws);
    assert.deepEqual(set.stages, [{ cell: 2, stage: 'evaluation' }]);
    assert.deepEqual(nbprovJson(['tag', 'stages.ipynb', '--cell', '3', 'reporting'], ws).stages.at(-1), { cell: 3, stage: 'reporting' }, 'a new stage far from the known ones');
  });
});

describe('nbprov run checks --param names', () => {
  test('a --param name the parameters cell does not assign is refused with the closest names, before any kernel starts', () => {
    writeNotebook(ws, 'params.ipynb', CELLS);
    const result = nbprov(['run', 'params.ipynb', '--param', 'n_estimator=50'], ws);
    assertRefused(result, /parameter "n_estimator" is not assigned in the parameters cell \(cell 1\) of params\.ipynb; did you mean n_estimators\? \(to inject a new name on purpose: --new-param n_estimator=VALUE\)/);
    assert.doesNotMatch(result.stderr, /starting a Jupyter Server/);
    assert.ok(!existsSync(path.join(ws, '.nbprov', 'store.sqlite')), 'nothing recorded');
  });

  test('without a parameters cell, a name the notebook assigns itself would be overwritten and is refused', () => {
    writeNotebook(ws, 'noparams.ipynb', ['alpha = 1\nprint(alpha + beta)']);
    assertRefused(nbprov(['run', 'noparams.ipynb', '--param', 'alpha=2'], ws), /parameter "alpha" is assigned in cell 0 .* overwrite the injected value/);
    assertRefused(nbprov(['run', 'noparams.ipynb', '--param', 'bta=2'], ws), /parameter "bta" is never read by noparams\.ipynb.*did you mean beta\?/);
  });

  test('--param of an assigned name and --new-param of a new one both reach the kernel (real kernel)', () => {
    writeNotebook(ws, 'inject.ipynb', [{ source: 'n_estimators = 10', tags: ['parameters'] }, "total = n_estimators + globals().get('extra', 0)"], { nbprov: { variables: { total: 'metric' } } });
    const doc = nbprovJson(['run', 'inject.ipynb', '--param', 'n_estimators=20', '--new-param', 'extra=5'], ws, 180_000);
    assert.equal(doc.tagged.total.value, 25);
  });
});
