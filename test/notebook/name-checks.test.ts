// Core name checks (issue 12) without a front end: which roles and stages count as typos, which
// names a notebook defines, and which --param names a notebook can take.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createAnalyzer, type CellAnalyzer } from '../../src/core/analysis';
import { definedNames, namesToCheck, parameterNameProblem, parameterNames } from '../../src/core/notebook/definedNames';
import { parseNotebook } from '../../src/core/notebook/ipynb';
import { normaliseRole, roleTypoProblem, stageCellProblem, stageTypoProblem, tagCellStage, tagVariable } from '../../src/core/notebook/tags';

let analyzer: CellAnalyzer;
before(async () => {
  analyzer = await createAnalyzer();
});

type Cell = { source: string; type?: 'code' | 'markdown' | 'raw'; tags?: string[]; language?: string };
function notebook(cells: Cell[], language = 'python') {
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: language, language }, language_info: { name: language } },
      cells: cells.map((c, i) => ({ cell_type: c.type ?? 'code', id: `c${i}`, source: c.source, metadata: c.tags ? { tags: c.tags } : {}, ...(c.type && c.type !== 'code' ? {} : { execution_count: null, outputs: [] }) })),
    }),
    'nb.ipynb',
  );
}

describe('role and stage typos', () => {
  test('one edit from a known role (two for longer words) is a typo; far roles, aliases and capitals are not', () => {
    const typos = ['metrc', 'Metirc', 'modle', 'datset', 'targt', 'parm', 'pram'].map((r) => [r, roleTypoProblem(r)?.data.suggestion ?? null]);
    assert.deepEqual(typos, [
      ['metrc', 'metric'],
      ['Metirc', 'metric'],
      ['modle', 'model'],
      ['datset', 'dataset'],
      ['targt', 'target'],
      ['parm', 'param'],
      ['pram', 'param'],
    ]);
    for (const role of ['metric', 'Metric', 'metrics', 'label', 'loss', 'seed', 'feature', 'random seed', 'threshold']) assert.equal(roleTypoProblem(role), null, role);
    assert.deepEqual(['Metric', 'MODELS', 'hyperparameters', 'loss'].map(normaliseRole), ['metric', 'model', 'param', 'loss']);
  });

  test('stages: a near miss of a known stage is a typo, a new stage is not', () => {
    assert.equal(stageTypoProblem('evalution')?.data.suggestion, 'evaluation');
    assert.equal(stageTypoProblem('data reading')?.data.suggestion ?? null, null, 'the known stage with a space is normalised, not a typo');
    assert.equal(stageTypoProblem('model-trainig')?.data.suggestion, 'model-training');
    assert.equal(stageTypoProblem('sampling'), null);
    assert.equal(stageTypoProblem('reporting'), null);
  });

  test('tag operations refuse them unless forced; a markdown cell never takes a stage', () => {
    const nb = notebook([{ source: '# title', type: 'markdown' }, { source: 'auc = 0.9' }, { source: 'raw text', type: 'raw' }]);
    const names = namesToCheck(nb, analyzer);
    assert.throws(() => tagVariable(nb, 'aucc', 'metric', { definedNames: names }), (e: Error & { code?: string; data?: { suggestions: string[] } }) => e.code === 'tag-unknown-variable' && e.data?.suggestions[0] === 'auc');
    assert.throws(() => tagVariable(nb, 'auc', 'metrc', { definedNames: names }), /did you mean metric\?/);
    assert.deepEqual(tagVariable(nb, 'aucc', 'metrc', { definedNames: names, force: true }), [{ kind: 'variableTags', variables: { aucc: 'metrc' } }]);
    assert.deepEqual(stageCellProblem(nb, 0)?.data, { cell: 0, cellType: 'markdown', nearestCodeCells: [1] });
    assert.deepEqual(stageCellProblem(nb, 2)?.data.nearestCodeCells, [1]);
    assert.throws(() => tagCellStage(nb, 0, 'evaluation', { force: true }), /markdown cell/);
    assert.throws(() => tagCellStage(nb, 1, 'evalution'), /did you mean evaluation\?/);
    assert.equal(tagCellStage(nb, 1, 'evalution', { force: true }).length, 1);
  });
});

describe('names a notebook defines', () => {
  test('assignments, imports, defs, loop and with targets all count', () => {
    const nb = notebook([{ source: 'import numpy as np\nfrom m import a, b as c\ndef f(): pass\nclass K: pass\nfor i in range(3): pass\nwith open("x") as (p, q): pass\nx = y = 1\nfirst, *rest = [1, 2]' }]);
    const { names, complete } = definedNames(nb, analyzer);
    assert.ok(complete);
    assert.deepEqual([...names].sort(), ['K', 'a', 'c', 'f', 'first', 'i', 'np', 'p', 'q', 'rest', 'x', 'y'].sort());
  });

  test('a cell nbprov cannot analyse makes the list incomplete, so nothing is refused', () => {
    const nb = notebook([{ source: 'x <- 1' }], 'R');
    assert.equal(definedNames(nb, analyzer).complete, false);
    assert.equal(namesToCheck(nb, analyzer), undefined);
    assert.deepEqual(tagVariable(nb, 'x', 'param', { definedNames: namesToCheck(nb, analyzer) }), [{ kind: 'variableTags', variables: { x: 'param' } }]);
  });
});

describe('--param names', () => {
  test('with a parameters cell: only the names it assigns, typos answered with the closest', () => {
    const nb = notebook([{ source: 'n_estimators = 10\nmax_depth = 3', tags: ['parameters'] }, { source: 'seed = 1\nscore = n_estimators * max_depth + seed' }]);
    assert.deepEqual(parameterNames(nb, analyzer), ['n_estimators', 'max_depth']);
    assert.equal(parameterNameProblem(nb, analyzer, 'max_depth'), null);
    assert.deepEqual(parameterNameProblem(nb, analyzer, 'n_estimator')?.data.suggestions, ['n_estimators']);
    assert.equal(parameterNameProblem(nb, analyzer, 'seed')?.data.parametersCell, 0, 'assigned elsewhere is not a parameter');
  });

  test('without one: a name the notebook assigns would be overwritten; a name it only reads is fine', () => {
    const nb = notebook([{ source: 'alpha = 1\nprint(alpha * beta)' }]);
    assert.equal(parameterNameProblem(nb, analyzer, 'alpha')?.data.assignedIn, 0);
    assert.equal(parameterNameProblem(nb, analyzer, 'beta'), null);
    assert.deepEqual(parameterNameProblem(nb, analyzer, 'bta')?.data.suggestions, ['beta']);
  });
});
