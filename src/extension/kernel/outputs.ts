/**
 * Kernel outputs (Jupyter messages) → notebook cell outputs, as plain data so it is tested in
 * plain Node; the controller wraps each item in `vscode.NotebookCellOutputItem`. The output
 * metadata follows VS Code's built-in ipynb serializer (`outputType`, `executionCount`,
 * `metadata`, `originalError`), so saving the notebook writes proper nbformat outputs.
 */
import type { KernelOutput } from '../../kernel/kernelClient';

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export interface PlainOutputItem {
  readonly mime: string;
  readonly data: Uint8Array;
}

export interface PlainOutput {
  readonly items: PlainOutputItem[];
  readonly metadata: Record<string, unknown>;
  /** Set for stream outputs: consecutive chunks of the same stream are appended to one output. */
  readonly stream?: 'stdout' | 'stderr';
}

/** Richest first, as Jupyter front ends choose; VS Code shows the first item it can render. */
const MIME_PREFERENCE = [
  'application/vnd.',
  'application/geo+json',
  'text/html',
  'application/javascript',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/markdown',
  'text/latex',
  'application/json',
  'text/plain',
];

function rank(mime: string): number {
  const index = MIME_PREFERENCE.findIndex((p) => (p.endsWith('.') ? mime.startsWith(p) : mime === p));
  return index < 0 ? MIME_PREFERENCE.length - 1 : index;
}

const encoder = new TextEncoder();

function text(value: unknown): string {
  // nbformat allows multi-line strings as lists of lines; kernels send strings.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Jupyter sends binary images base64-encoded; VS Code wants the bytes. SVG is text. */
function isBase64Image(mime: string): boolean {
  return mime.startsWith('image/') && mime !== 'image/svg+xml';
}

export function richItem(mime: string, value: unknown): PlainOutputItem {
  if (isBase64Image(mime) && typeof value === 'string') return { mime, data: Buffer.from(value.replace(/\s+/g, ''), 'base64') };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { mime, data: encoder.encode(JSON.stringify(value)) };
  return { mime, data: encoder.encode(text(value)) };
}

export function streamOutput(name: 'stdout' | 'stderr', chunk: string): PlainOutput {
  return { items: [streamItem(name, chunk)], metadata: { outputType: 'stream' }, stream: name };
}

export function streamItem(name: 'stdout' | 'stderr', chunk: string): PlainOutputItem {
  return { mime: name === 'stdout' ? STDOUT_MIME : STDERR_MIME, data: encoder.encode(chunk) };
}

/** VS Code's error item: `{name, message, stack}` as JSON; the stack (Jupyter's traceback) may hold ANSI colours. */
export function errorItem(name: string, message: string, stack?: string): PlainOutputItem {
  return { mime: ERROR_MIME, data: encoder.encode(JSON.stringify({ name, message, stack: stack ?? '' })) };
}

export function toPlainOutput(output: KernelOutput): PlainOutput {
  switch (output.type) {
    case 'stream':
      return streamOutput(output.name, output.text);
    case 'error':
      return {
        items: [errorItem(output.ename, output.evalue, output.traceback.join('\n'))],
        metadata: { outputType: 'error', originalError: { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: output.traceback } },
      };
    case 'display_data':
    case 'execute_result': {
      const mimes = Object.keys(output.data).sort((a, b) => rank(a) - rank(b));
      const metadata: Record<string, unknown> = { outputType: output.type, metadata: output.metadata ?? {} };
      if (output.type === 'execute_result') metadata.executionCount = output.executionCount ?? null;
      return { items: mimes.map((mime) => richItem(mime, output.data[mime])), metadata };
    }
  }
}

/**
 * A message from nbprov itself shown in a cell (no kernel, untrusted workspace, kernel died):
 * an error output with no stack, so the editor shows one line, not a trace of nbprov's code.
 */
export function messageOutput(message: string, title = 'nbprov'): PlainOutput {
  return { items: [errorItem(title, message)], metadata: { outputType: 'error', originalError: { output_type: 'error', ename: title, evalue: message, traceback: [] } } };
}
