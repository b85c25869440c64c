import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INJECTED_PARAMETERS_CELL_ID } from '../../src/core/records';
import { cellLabel, noCellLabel } from '../../src/extension/content/format';

test('an execution with no notebook cell is named for what it was: nbprov run\'s injected parameters, or a deleted cell', () => {
  assert.equal(cellLabel(3, 12), 'cell 3 [12]');
  assert.equal(cellLabel(null, 2, INJECTED_PARAMETERS_CELL_ID), 'the injected parameters [2]');
  assert.equal(cellLabel(null, 7, 'a1b2c3'), 'a deleted cell [7]');
  assert.equal(cellLabel(null, null), 'a deleted cell');
  assert.equal(noCellLabel(INJECTED_PARAMETERS_CELL_ID), 'the injected parameters');
});
