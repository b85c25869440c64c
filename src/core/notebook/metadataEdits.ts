/**
 * What a NotebookEdit does to notebook and cell metadata, as pure functions on plain objects: the
 * one definition of the edits' meaning. The extension applies them to a NotebookDocument's metadata
 * (`vscode.NotebookEdit.updateNotebookMetadata` / `updateCellMetadata`); the CLI's text edits are
 * checked against them. Inputs are never changed: changed objects are copied along the path.
 */

type Metadata = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Notebook metadata with `nbprov.variables` replaced (other `nbprov` keys kept). */
export function withVariableTags(notebookMetadata: unknown, variables: Readonly<Record<string, string>>): Record<string, unknown> {
  const metadata: Metadata = isObject(notebookMetadata) ? notebookMetadata : {};
  const nbprov = isObject(metadata.nbprov) ? metadata.nbprov : {};
  return { ...metadata, nbprov: { ...nbprov, variables: { ...variables } } };
}

/** Cell metadata with `tags` replaced; an empty list removes the key. */
export function withCellTags(cellMetadata: unknown, tags: readonly string[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = isObject(cellMetadata) ? { ...cellMetadata } : {};
  if (tags.length) metadata.tags = [...tags];
  else delete metadata.tags;
  return metadata;
}
