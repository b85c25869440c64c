/**
 * What the recorder needs from a running kernel, independent of how it is reached
 * (the VS Code Jupyter extension, or a Jupyter Server through @jupyterlab/services).
 */

export type KernelOutput =
  | { type: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display_data' | 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; executionCount?: number | null }
  | { type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface ExecuteOptions {
  /** Silent executions do not run IPython's pre/post_run_cell hooks and do not count. */
  silent?: boolean;
  storeHistory?: boolean;
  /** Every output as it arrives, before any cap is applied. */
  onOutput?: (output: KernelOutput) => void;
  /** Cap on the characters of output kept in the result (default 1 MB); later output is dropped. */
  maxOutputChars?: number;
  /**
   * Jupyter `user_expressions`: evaluated by the kernel right after the code (after its
   * post_run_cell hooks) when it succeeded, answered in the same reply. Only clients with
   * `supportsUserExpressions` evaluate them.
   */
  userExpressions?: Record<string, string>;
}

/** One evaluated user expression: its `text/plain` rendering, or the error it raised. */
export type UserExpressionResult = { status: 'ok'; text: string } | { status: 'error'; ename: string; evalue: string };

export interface ExecuteError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteResult {
  status: 'ok' | 'error' | 'aborted';
  /** The kernel's execution count for this request (null when unknown or silent). */
  executionCount: number | null;
  error?: ExecuteError;
  /** Outputs, capped at `maxOutputChars`. */
  outputs: KernelOutput[];
  /** stdout text concatenated (within the same cap): how silent requests return data. */
  stdout: string;
  outputsTruncated: boolean;
  /** Results of `options.userExpressions` (absent when the code failed or the client cannot evaluate them). */
  userExpressions?: Record<string, UserExpressionResult>;
}

export type KernelStatus = 'unknown' | 'starting' | 'idle' | 'busy' | 'restarting' | 'autorestarting' | 'terminating' | 'dead';

export interface KernelInfo {
  kernelName: string | null;
  language: string;
  languageVersion?: string;
  implementation?: string;
}

export interface Disposable {
  dispose(): void;
}

export interface KernelClient {
  readonly kernelName: string | null;
  readonly language: string;
  readonly status: KernelStatus;
  /** Incremented each time the kernel process is replaced (restart, auto-restart after death). */
  readonly generation: number;
  /** True when `execute` evaluates `userExpressions` (Jupyter Server adapter; not the VS Code API). */
  readonly supportsUserExpressions?: boolean;
  info(): Promise<KernelInfo>;
  execute(code: string, options?: ExecuteOptions): Promise<ExecuteResult>;
  interrupt(): Promise<void>;
  restart(): Promise<void>;
  /** Shuts down what this client started (kernel, local server) and closes connections. */
  dispose(): Promise<void>;
  onDidChangeStatus(listener: (status: KernelStatus) => void): Disposable;
}

export const DEFAULT_MAX_OUTPUT_CHARS = 1024 * 1024;

/**
 * Accumulates outputs under a character cap so a cell that prints 50 MB never holds 50 MB.
 * Consecutive stream outputs of the same name are merged.
 */
export class OutputCollector {
  readonly outputs: KernelOutput[] = [];
  stdout = '';
  truncated = false;
  private used = 0;

  constructor(private readonly maxChars: number) {}

  add(output: KernelOutput): void {
    if (output.type === 'stream') {
      const room = this.maxChars - this.used;
      if (room <= 0) {
        this.truncated = true;
        return;
      }
      const text = output.text.length > room ? output.text.slice(0, room) : output.text;
      if (text.length < output.text.length) this.truncated = true;
      this.used += text.length;
      if (output.name === 'stdout') this.stdout += text;
      const last = this.outputs[this.outputs.length - 1];
      if (last && last.type === 'stream' && last.name === output.name) last.text += text;
      else this.outputs.push({ ...output, text });
      return;
    }
    const size = output.type === 'error' ? output.traceback.join('\n').length + output.evalue.length : approximateSize(output.data);
    if (this.used + size > this.maxChars) {
      this.truncated = true;
      return;
    }
    this.used += size;
    this.outputs.push(output);
  }
}

function approximateSize(data: Record<string, unknown>): number {
  let n = 0;
  for (const value of Object.values(data)) n += typeof value === 'string' ? value.length : JSON.stringify(value ?? null).length;
  return n;
}
