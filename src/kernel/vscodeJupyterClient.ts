/**
 * KernelClient over the VS Code Jupyter extension's API (@vscode/jupyter-extension). It only
 * uses types from `vscode`; the extension passes in the API object and a token-source factory,
 * so this module never loads `vscode` and the CLI bundle stays free of it.
 */
import type { Jupyter, Kernel as JupyterKernel } from '@vscode/jupyter-extension';
import type { CancellationTokenSource, Uri } from 'vscode';
import { NoKernelError, NotSupportedError } from './errors';
import {
  DEFAULT_MAX_OUTPUT_CHARS,
  OutputCollector,
  type Disposable,
  type ExecuteOptions,
  type ExecuteResult,
  type KernelClient,
  type KernelInfo,
  type KernelOutput,
  type KernelStatus,
} from './kernelClient';

const STDOUT_MIME = 'application/x.notebook.stream.stdout';
const STDERR_MIME = 'application/x.notebook.stream.stderr';
const ERROR_MIME = 'application/vnd.code.notebook.error';

export interface VsCodeJupyterDeps {
  /** `() => new vscode.CancellationTokenSource()` */
  createCancellationTokenSource: () => CancellationTokenSource;
}

function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime.endsWith('json') || mime.endsWith('+xml') || mime === 'image/svg+xml';
}

function decodeOutputs(items: { mime: string; data: Uint8Array }[]): KernelOutput[] {
  const decoder = new TextDecoder();
  const outputs: KernelOutput[] = [];
  const rich: Record<string, unknown> = {};
  for (const item of items) {
    if (item.mime === STDOUT_MIME || item.mime === STDERR_MIME) {
      outputs.push({ type: 'stream', name: item.mime === STDOUT_MIME ? 'stdout' : 'stderr', text: decoder.decode(item.data) });
    } else if (item.mime === ERROR_MIME) {
      let parsed: { name?: string; message?: string; stack?: string } = {};
      try {
        parsed = JSON.parse(decoder.decode(item.data)) as typeof parsed;
      } catch {
        parsed = { message: decoder.decode(item.data) };
      }
      outputs.push({ type: 'error', ename: parsed.name ?? 'Error', evalue: parsed.message ?? '', traceback: parsed.stack ? parsed.stack.split('\n') : [] });
    } else {
      rich[item.mime] = isTextMime(item.mime) ? decoder.decode(item.data) : Buffer.from(item.data).toString('base64');
    }
  }
  if (Object.keys(rich).length) outputs.push({ type: 'display_data', data: rich, metadata: {} });
  return outputs;
}

export class VsCodeJupyterClient implements KernelClient {
  private restarts = 0;
  private lastStatus: KernelStatus;
  private readonly subscription: { dispose(): unknown };

  private constructor(
    private readonly kernel: JupyterKernel,
    private readonly deps: VsCodeJupyterDeps,
    readonly kernelName: string | null,
  ) {
    this.lastStatus = kernel.status as KernelStatus;
    this.subscription = kernel.onDidChangeStatus((status) => {
      const next = status as KernelStatus;
      if ((next === 'restarting' || next === 'autorestarting') && this.lastStatus !== 'restarting' && this.lastStatus !== 'autorestarting') this.restarts++;
      this.lastStatus = next;
    });
  }

  /** The client for the kernel the Jupyter extension runs for `notebook` (which must be started). */
  static async forNotebook(api: Jupyter, notebook: Uri, deps: VsCodeJupyterDeps, kernelName: string | null = null): Promise<VsCodeJupyterClient> {
    const kernel = await api.kernels.getKernel(notebook);
    if (!kernel) throw new NoKernelError(`No running kernel for ${notebook.toString()}: run a cell first, then nbprov can record`);
    return new VsCodeJupyterClient(kernel, deps, kernelName);
  }

  get language(): string {
    return this.kernel.language;
  }

  get status(): KernelStatus {
    return this.kernel.status as KernelStatus;
  }

  get generation(): number {
    return this.restarts;
  }

  async info(): Promise<KernelInfo> {
    return { kernelName: this.kernelName, language: this.kernel.language };
  }

  /** The extension's executeCode never counts or stores history, so every request is silent. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const collector = new OutputCollector(options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS);
    const source = this.deps.createCancellationTokenSource();
    let error: ExecuteResult['error'];
    try {
      for await (const output of this.kernel.executeCode(code, source.token)) {
        for (const decoded of decodeOutputs(output.items)) {
          if (decoded.type === 'error') error ??= { ename: decoded.ename, evalue: decoded.evalue, traceback: decoded.traceback };
          options.onOutput?.(decoded);
          collector.add(decoded);
        }
      }
    } finally {
      source.dispose();
    }
    return { status: error ? 'error' : 'ok', executionCount: null, error, outputs: collector.outputs, stdout: collector.stdout, outputsTruncated: collector.truncated };
  }

  async interrupt(): Promise<void> {
    throw new NotSupportedError('The Jupyter extension API cannot interrupt kernels: use the notebook toolbar');
  }

  async restart(): Promise<void> {
    throw new NotSupportedError('The Jupyter extension API cannot restart kernels: use the notebook toolbar');
  }

  onDidChangeStatus(listener: (status: KernelStatus) => void): Disposable {
    const subscription = this.kernel.onDidChangeStatus((status) => listener(status as KernelStatus));
    return { dispose: () => void subscription.dispose() };
  }

  async dispose(): Promise<void> {
    this.subscription.dispose();
  }
}
