import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parameterChange, parametersCellIndex, parameterSlots } from '../../src/extension/content/parameters';
import { liveNotebook, liveNotebookView, sharedAnalyzer } from './helpers';

const SOURCE = 'n_estimators = 100\ncriterion = "gini"\nlr: float = 0.5\nderived = n_estimators * 2\nimport math\n';

test('the parameters cell: its literal assignments with their current values as defaults', async () => {
  const analyzer = await sharedAnalyzer();
  const view = liveNotebookView(liveNotebook([{ source: 'import x' }, { source: SOURCE, tags: ['parameters'] }]));
  const index = parametersCellIndex(view);
  assert.equal(index, 1);
  const slots = parameterSlots(analyzer.analyze(view.cells[index].source, 'python'));
  assert.deepEqual(slots.map((s) => [s.name, s.current, s.span.startLine]), [
    ['n_estimators', '100', 0],
    ['criterion', '"gini"', 1],
    ['lr', '0.5', 2],
  ]);
});

test('answers become Python literals from JSON data (never spliced text); names are the cell\'s own', async () => {
  const analyzer = await sharedAnalyzer();
  const [n, criterion, lr] = parameterSlots(analyzer.analyze(SOURCE, 'python'));
  assert.deepEqual(parameterChange(n, '200'), { slot: n, value: 200, statement: 'n_estimators = 200' });
  assert.equal(parameterChange(criterion, '"entropy"').statement, 'criterion = "entropy"');
  assert.equal(parameterChange(criterion, 'x"); import os; os.system("rm -rf /"); ("').statement, 'criterion = "x\\"); import os; os.system(\\"rm -rf /\\"); (\\""');
  assert.equal(parameterChange(lr, '1.0').statement, 'lr = 1.0');
  assert.equal(parameterChange(lr, 'None').statement, 'lr = None');
  assert.equal(parametersCellIndex(liveNotebookView(liveNotebook([{ source: 'a = 1' }]))), -1);
});
