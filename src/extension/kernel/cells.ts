/**
 * Which cell is which, the same way the CLI reads an .ipynb (src/core/notebook/ipynb.ts): the
 * nbformat 4.5 cell id when present, else `cell-<index>`. VS Code's built-in ipynb serializer
 * (1.100) keeps the id at `cell.metadata.id` (older builds nested it under `metadata.custom`).
 * Plain data in, plain data out: tested in plain Node.
 */

export function cellIdOf(metadata: unknown, index: number): string {
  const meta = (metadata ?? {}) as { id?: unknown; custom?: { id?: unknown } };
  const id = typeof meta.id === 'string' && meta.id ? meta.id : typeof meta.custom?.id === 'string' && meta.custom.id ? meta.custom.id : null;
  return id ?? `cell-${index}`;
}

export type CellRunnability = { run: true } | { run: false; reason: string | null };

/**
 * Whether "nbprov: Python" runs a cell of this language. `plaintext` is what the ipynb serializer
 * gives a notebook without language metadata when the Python extension is absent, so it runs as
 * Python; raw cells are skipped silently; any other language is refused with the reason.
 */
export function runnability(languageId: string, code: string): CellRunnability {
  if (languageId === 'raw') return { run: false, reason: null };
  if (languageId !== 'python' && languageId !== 'plaintext') {
    return { run: false, reason: `This cell is ${languageId}; the kernel "nbprov: Python" runs Python cells only. Change the cell's language to Python or pick another kernel.` };
  }
  if (code.trim() === '') return { run: false, reason: null };
  return { run: true };
}
