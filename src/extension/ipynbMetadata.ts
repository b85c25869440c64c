/**
 * Where VS Code's built-in ipynb serializer keeps Jupyter metadata on a live NotebookDocument.
 * VS Code ≥ 1.84 nests the file's notebook metadata under `metadata.metadata` and a cell's under
 * `cell.metadata.metadata` (its nbformat id under `cell.metadata.id`); older builds used
 * `metadata.custom.metadata` / `cell.metadata.custom.{metadata,id}`. Reads accept both; writes
 * keep whichever shape the document already has, so a save writes the tags where Jupyter reads them.
 * Pure: no vscode import, so it is tested in plain Node.
 */

export type Metadata = { readonly [key: string]: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object the serializer nests the Jupyter fields in (`custom` on old builds, else the metadata itself). */
function container(metadata: Metadata | undefined): Record<string, unknown> {
  if (!isRecord(metadata)) return {};
  return isRecord(metadata.custom) ? metadata.custom : metadata;
}

/** The Jupyter `metadata` object of a notebook or cell (the one holding `tags`, `nbprov`, `kernelspec`). */
export function jupyterMetadata(metadata: Metadata | undefined): Record<string, unknown> {
  const inner = container(metadata).metadata;
  return isRecord(inner) ? inner : {};
}

/** The nbformat 4.5 cell id kept by the serializer, or undefined. */
export function jupyterCellId(metadata: Metadata | undefined): string | undefined {
  const id = container(metadata).id;
  return typeof id === 'string' && id ? id : undefined;
}

export function cellTags(metadata: Metadata | undefined): string[] {
  const tags = jupyterMetadata(metadata).tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** `metadata.nbprov.variables` of a notebook (name → role), invalid entries left out. */
export function notebookVariableTags(metadata: Metadata | undefined, isName: (name: string) => boolean): Record<string, string> {
  const nbprov = jupyterMetadata(metadata).nbprov;
  const variables = isRecord(nbprov) ? nbprov.variables : undefined;
  const out: Record<string, string> = {};
  if (!isRecord(variables)) return out;
  for (const [name, role] of Object.entries(variables)) if (typeof role === 'string' && isName(name)) out[name] = role;
  return out;
}

/** A copy of `metadata` whose Jupyter metadata is `update(old)`, in the document's own nesting. */
export function withJupyterMetadata(metadata: Metadata | undefined, update: (jupyter: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const whole: Record<string, unknown> = isRecord(metadata) ? { ...metadata } : {};
  const next = update({ ...jupyterMetadata(whole) });
  if (isRecord(whole.custom)) whole.custom = { ...whole.custom, metadata: next };
  else whole.metadata = next;
  return whole;
}

/** Notebook metadata with `metadata.nbprov.variables` replaced (other `nbprov` keys kept; empty removes it). */
export function withVariableTags(metadata: Metadata | undefined, variables: Record<string, string>): Record<string, unknown> {
  return withJupyterMetadata(metadata, (jupyter) => {
    const nbprov = isRecord(jupyter.nbprov) ? { ...jupyter.nbprov } : {};
    if (Object.keys(variables).length) nbprov.variables = { ...variables };
    else delete nbprov.variables;
    if (Object.keys(nbprov).length) jupyter.nbprov = nbprov;
    else delete jupyter.nbprov;
    return jupyter;
  });
}

/** Cell metadata with `metadata.tags` replaced (an empty list removes the key). */
export function withCellTags(metadata: Metadata | undefined, tags: readonly string[]): Record<string, unknown> {
  return withJupyterMetadata(metadata, (jupyter) => {
    if (tags.length) jupyter.tags = [...tags];
    else delete jupyter.tags;
    return jupyter;
  });
}
