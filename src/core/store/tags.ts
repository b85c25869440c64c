/**
 * Index of the tags kept in notebooks (the notebook file is the source of truth), for queries
 * across notebooks. A notebook's tags are replaced as a whole; merging keeps the newer set.
 */
import type { RepoContext } from './context';
import { setEntry } from './records-util';
import { inTransaction, queryAll, text } from './sql';

export interface NotebookTags {
  /** Variable name → role (`param`, `metric`, `model`, `dataset`, `target` or free text). */
  variables: Record<string, string>;
  /** Cell id → stage name. */
  stages: Record<string, string>;
}

export interface VariableTag {
  notebookPath: string;
  name: string;
  role: string;
}

export function setTags(ctx: RepoContext, notebookPath: string, tags: NotebookTags): void {
  const { db } = ctx;
  inTransaction(db, () => {
    db.run('INSERT OR IGNORE INTO notebooks (path, first_seen_at) VALUES (?, ?)', [notebookPath, ctx.now()]);
    db.run('INSERT OR REPLACE INTO tag_sets (notebook, updated_at) VALUES (?, ?)', [notebookPath, ctx.now()]);
    db.run('DELETE FROM variable_tags WHERE notebook = ?', [notebookPath]);
    db.run('DELETE FROM cell_stages WHERE notebook = ?', [notebookPath]);
    for (const [name, role] of Object.entries(tags.variables)) {
      db.run('INSERT INTO variable_tags (notebook, name, role) VALUES (?, ?, ?)', [notebookPath, name, role]);
    }
    for (const [cellId, stage] of Object.entries(tags.stages)) {
      db.run('INSERT INTO cell_stages (notebook, cell_id, stage) VALUES (?, ?, ?)', [notebookPath, cellId, stage]);
    }
  });
  ctx.markDirty();
}

export function getTags(ctx: RepoContext, notebookPath: string): NotebookTags {
  const variables: Record<string, string> = {};
  for (const row of queryAll(ctx.db, 'SELECT name, role FROM variable_tags WHERE notebook = ? ORDER BY name', [notebookPath])) {
    setEntry(variables, text(row.name), text(row.role));
  }
  const stages: Record<string, string> = {};
  for (const row of queryAll(ctx.db, 'SELECT cell_id, stage FROM cell_stages WHERE notebook = ? ORDER BY cell_id', [notebookPath])) {
    setEntry(stages, text(row.cell_id), text(row.stage));
  }
  return { variables, stages };
}

/** Variable tags across all notebooks, optionally only those of one variable name. */
export function listVariableTags(ctx: RepoContext, name?: string): VariableTag[] {
  const rows =
    name === undefined
      ? queryAll(ctx.db, 'SELECT * FROM variable_tags ORDER BY notebook, name')
      : queryAll(ctx.db, 'SELECT * FROM variable_tags WHERE name = ? ORDER BY notebook', [name]);
  return rows.map((row) => ({ notebookPath: text(row.notebook), name: text(row.name), role: text(row.role) }));
}
