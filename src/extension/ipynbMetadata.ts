/**
 * Where VS Code's built-in ipynb serializer keeps Jupyter metadata on a live NotebookDocument.
 * VS Code ≥ 1.84 nests the file's notebook metadata under `metadata.metadata` and a cell's under
 * `cell.metadata.metadata` (its nbformat id under `cell.metadata.id`); older builds used
 * `metadata.custom.metadata` / `cell.metadata.custom.{metadata,id}`. Reads accept both; writes
 * keep whichever shape the document already has, so a save writes the tags where Jupyter reads them.
 * What an edit does to the Jupyter metadata itself is core's (src/core/notebook/metadataEdits.ts);
 * this only adds VS Code's nesting. Pure: no vscode import, so it is tested in plain Node.
 */
import { withCellTags as withJupyterCellTags, withVariableTags as withJupyterVariableTags } from '../core/notebook/metadataEdits';

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

/** The cell's Jupyter `metadata.tags`, as stored (core's view reads the strings among them). */
export function rawCellTags(metadata: Metadata | undefined): unknown {
  return jupyterMetadata(metadata).tags;
}

/** A copy of `metadata` whose Jupyter metadata is `update(old)`, in the document's own nesting. */
export function withJupyterMetadata(metadata: Metadata | undefined, update: (jupyter: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  const whole: Record<string, unknown> = isRecord(metadata) ? { ...metadata } : {};
  const next = update({ ...jupyterMetadata(whole) });
  if (isRecord(whole.custom)) whole.custom = { ...whole.custom, metadata: next };
  else whole.metadata = next;
  return whole;
}

/** Notebook metadata with `metadata.nbprov.variables` replaced as core defines it, in the document's nesting. */
export function withVariableTags(metadata: Metadata | undefined, variables: Record<string, string>): Record<string, unknown> {
  return withJupyterMetadata(metadata, (jupyter) => withJupyterVariableTags(jupyter, variables));
}

/** Cell metadata with `metadata.tags` replaced as core defines it (an empty list removes the key), in the document's nesting. */
export function withCellTags(metadata: Metadata | undefined, tags: readonly string[]): Record<string, unknown> {
  return withJupyterMetadata(metadata, (jupyter) => withJupyterCellTags(jupyter, tags));
}
