// src/shared is the contract: src/core's data satisfies its types (checked by the compiler here),
// and the built CLI's documents have exactly the fields the shared types declare (checked at run time).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after, describe, test } from 'node:test';
import type { TagSuggestion } from '../../src/core/trials';
import type { TrialDiff } from '../../src/core/trials/compare';
import type { ValueSeries } from '../../src/core/trials/series';
import type * as shared from '../../src/shared';
import { KNOWN_ROLES as coreRoles } from '../../src/core/notebook/tags';
import { KNOWN_ROLES } from '../../src/shared';
import { FRAUD_NOTEBOOK, ensureBuilt, nbprovJson, removeWorkspace, tempWorkspace } from '../cli/helpers';

/** Compiles only when A is assignable to B. */
type Assignable<A extends B, B> = A;
// The data model (records, facts) is defined once in src/shared and re-exported by core; the
// documents below are built from core values, so core's types must fit them.
export type Checks = [
  Assignable<TrialDiff, Omit<shared.DiffDocument, 'order'>>,
  Assignable<ValueSeries, shared.ValuesDocument>,
  Assignable<TagSuggestion, shared.TagSuggestionEntry>,
];

/** Every field of a document type, required or optional (exhaustive: the compiler checks it). */
type Fields<T> = Record<keyof T, 'required' | 'optional'>;

const analyzeFields: Fields<shared.AnalyzeDocument> = { notebook: 'required', cells: 'required' };
const cellFields: Fields<shared.AnalyzedCell> = {
  index: 'required', id: 'required', language: 'required', executionCount: 'required', defines: 'required', uses: 'required', builtinUses: 'required',
  mutates: 'required', deletes: 'required', imports: 'required', functions: 'required', files: 'required', diagnostics: 'required', operations: 'optional',
};
const lineageFields: Fields<shared.LineageDocument> = { variable: 'required', notebook: 'required', history: 'required', global: 'required', cells: 'required', executions: 'required', operations: 'required' };
const lineageOperationFields: Fields<shared.LineageOperation> = { cell: 'required', cellId: 'required', executionId: 'required', line: 'required', code: 'required', defines: 'required', function: 'optional', stage: 'optional', needed: 'required', value: 'optional', values: 'optional' };
const dependentsFields: Fields<shared.DependentsDocument> = { cell: 'required', cellId: 'required', history: 'required', dependents: 'required', executions: 'required' };
const staleFields: Fields<shared.StaleDocument> = { notebook: 'required', history: 'required', stale: 'required' };
const tagFields: Fields<shared.TagDocument> = { notebook: 'required', changed: 'required', variables: 'required', stages: 'required', suggestions: 'required', applied: 'required' };

function assertFields(document: Record<string, unknown>, fields: Record<string, 'required' | 'optional'>, what: string): void {
  for (const key of Object.keys(document)) assert.ok(key in fields, `${what}: "${key}" is not in the shared type`);
  for (const [key, kind] of Object.entries(fields)) if (kind === 'required') assert.ok(key in document, `${what}: "${key}" is missing`);
}

let ws: string;
before(() => {
  ensureBuilt();
  ws = tempWorkspace('contract');
  const notebook = JSON.parse(readFileSync(FRAUD_NOTEBOOK, 'utf8'));
  delete notebook.metadata.nbprov;
  writeFileSync(path.join(ws, 'fraud.ipynb'), JSON.stringify(notebook, null, 1));
});
after(() => removeWorkspace(ws));

describe('the CLI documents match src/shared', () => {
  test('analyze', () => {
    const doc = nbprovJson(['analyze', 'fraud.ipynb', '--operations'], ws);
    assertFields(doc, analyzeFields, 'analyze');
    for (const cell of doc.cells) assertFields(cell, cellFields, 'analyze cell');
    assert.ok(doc.cells.some((c: shared.AnalyzedCell) => c.operations?.length));
  });

  test('lineage, dependents, stale', () => {
    const lineage = nbprovJson(['lineage', 'fraud.ipynb', 'auc', '--operations'], ws);
    assertFields(lineage, lineageFields, 'lineage');
    assert.ok(lineage.operations.length > 0);
    for (const op of lineage.operations) assertFields(op, lineageOperationFields, 'lineage operation');
    assertFields(nbprovJson(['dependents', 'fraud.ipynb', '--cell', '2'], ws), dependentsFields, 'dependents');
    assertFields(nbprovJson(['stale', 'fraud.ipynb'], ws), staleFields, 'stale');
  });

  test('tag', () => {
    const doc = nbprovJson(['tag', 'fraud.ipynb'], ws);
    assertFields(doc, tagFields, 'tag');
    assert.ok(doc.suggestions.length > 0);
  });

  test('the tag vocabulary is one constant', () => {
    assert.equal(coreRoles, KNOWN_ROLES);
  });
});
