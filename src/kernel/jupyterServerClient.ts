/**
 * KernelClient over a Jupyter Server (@jupyterlab/services): a server nbprov started itself
 * (localServer.ts) or a remote one given as URL + token.
 */
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from '@jupyterlab/services';
import WebSocket from 'ws';
import { JupyterAuthError, JupyterServerUnreachableError, KernelDiedError, KernelSpecNotFoundError } from './errors';
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
  type UserExpressionResult,
} from './kernelClient';
import { startLocalJupyterServer, type LocalJupyterServer, type LocalServerOptions } from './localServer';

export interface RemoteServerOptions {
  /** e.g. http://host:8888/ or https://hub.example.org/user/me/ */
  url: string;
  /** The server's token ('' for none); the front end reads it from its own settings or environment. */
  token?: string;
  timeoutMs?: number;
}

export interface KernelStartOptions {
  /** Kernel spec name; the server's default when omitted. */
  kernelName?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10000;

function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JupyterServerUnreachableError(`Invalid Jupyter Server URL ${JSON.stringify(url)}: give it as http(s)://host:port/`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new JupyterServerUnreachableError(`Invalid Jupyter Server URL ${url}: the scheme must be http or https`);
  }
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.toString();
}

interface KernelSpecs {
  default: string;
  kernelspecs: Record<string, { spec?: { language?: string; display_name?: string } }>;
}

/** Checks that the server answers and accepts the token, within a bounded time. */
export async function checkServer(baseUrl: string, token: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<KernelSpecs> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}api/kernelspecs`, {
      headers: token ? { Authorization: `token ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeFetchError(error);
    throw new JupyterServerUnreachableError(`Jupyter Server at ${baseUrl} is unreachable (${reason}): check the URL and that the server is running`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new JupyterAuthError(`Jupyter Server at ${baseUrl} rejected the token (HTTP ${response.status}): pass the server's token with NBPROV_JUPYTER_TOKEN`);
  }
  if (!response.ok) {
    throw new JupyterServerUnreachableError(`${baseUrl} did not answer like a Jupyter Server (HTTP ${response.status} on /api/kernelspecs): check the URL`);
  }
  try {
    return (await response.json()) as KernelSpecs;
  } catch {
    throw new JupyterServerUnreachableError(`${baseUrl} did not answer like a Jupyter Server (no JSON on /api/kernelspecs): check the URL`);
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function toOutput(message: KernelMessage.IIOPubMessage): KernelOutput | null {
  const content = message.content as Record<string, unknown>;
  switch (message.header.msg_type) {
    case 'stream':
      return { type: 'stream', name: content.name === 'stderr' ? 'stderr' : 'stdout', text: String(content.text ?? '') };
    case 'display_data':
    case 'execute_result':
      return {
        type: message.header.msg_type,
        data: (content.data ?? {}) as Record<string, unknown>,
        metadata: (content.metadata ?? {}) as Record<string, unknown>,
        ...(message.header.msg_type === 'execute_result' ? { executionCount: (content.execution_count as number | null) ?? null } : {}),
      };
    case 'error':
      return { type: 'error', ename: String(content.ename ?? ''), evalue: String(content.evalue ?? ''), traceback: (content.traceback as string[]) ?? [] };
    default:
      return null;
  }
}

export class JupyterServerClient implements KernelClient {
  private currentStatus: KernelStatus = 'unknown';
  private restarts = 0;
  private readonly listeners = new Set<(status: KernelStatus) => void>();
  private disposed = false;

  private constructor(
    private readonly kernel: Kernel.IKernelConnection,
    private readonly manager: KernelManager,
    readonly baseUrl: string,
    private readonly ownedServer: LocalJupyterServer | null,
  ) {
    kernel.statusChanged.connect((_sender, status) => this.onStatus(status as KernelStatus));
    swallowReconnectFailures(kernel);
  }

  /** The Jupyter Server this client started (null for a remote server). */
  get localServer(): LocalJupyterServer | null {
    return this.ownedServer;
  }

  /** Starts a local Jupyter Server (see localServer.ts) and a kernel in it. */
  static async startLocal(server: LocalServerOptions, kernel: KernelStartOptions = {}): Promise<JupyterServerClient> {
    const local = await startLocalJupyterServer(server);
    try {
      return await JupyterServerClient.open(local.baseUrl, local.token, kernel, local);
    } catch (error) {
      await local.dispose();
      throw error;
    }
  }

  /** Starts a kernel on a running (possibly remote) Jupyter Server. */
  static async connectRemote(remote: RemoteServerOptions, kernel: KernelStartOptions = {}): Promise<JupyterServerClient> {
    const baseUrl = normalizeBaseUrl(remote.url);
    const token = remote.token ?? '';
    return JupyterServerClient.open(baseUrl, token, { timeoutMs: remote.timeoutMs, ...kernel }, null);
  }

  private static async open(baseUrl: string, token: string, options: KernelStartOptions, owned: LocalJupyterServer | null): Promise<JupyterServerClient> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const specs = await checkServer(baseUrl, token, timeoutMs);
    const kernelName = options.kernelName ?? specs.default;
    if (!specs.kernelspecs[kernelName]) {
      throw new KernelSpecNotFoundError(`No kernel named ${JSON.stringify(kernelName)} on ${baseUrl}: available are ${Object.keys(specs.kernelspecs).join(', ') || 'none'}`);
    }
    const serverSettings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: baseUrl.replace(/^http/, 'ws'),
      token,
      appendToken: true,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const manager = new KernelManager({ serverSettings });
    try {
      const kernel = await withTimeout(manager.startNew({ name: kernelName }), Math.max(timeoutMs, 60000), `the ${kernelName} kernel did not start`);
      const client = new JupyterServerClient(kernel, manager, baseUrl, owned);
      await withTimeout(kernel.info, Math.max(timeoutMs, 60000), `the ${kernelName} kernel did not answer`);
      client.currentStatus = kernel.status as KernelStatus;
      return client;
    } catch (error) {
      manager.dispose();
      throw error;
    }
  }

  get kernelName(): string | null {
    return this.kernel.name;
  }

  get language(): string {
    return 'python';
  }

  get status(): KernelStatus {
    return this.currentStatus;
  }

  get generation(): number {
    return this.restarts;
  }

  readonly supportsUserExpressions = true;

  get kernelId(): string {
    return this.kernel.id;
  }

  async info(): Promise<KernelInfo> {
    const reply = await this.kernel.info;
    const languageInfo = reply.language_info as { name?: string; version?: string };
    return { kernelName: this.kernel.name, language: languageInfo.name ?? 'python', languageVersion: languageInfo.version, implementation: reply.implementation };
  }

  onDidChangeStatus(listener: (status: KernelStatus) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private onStatus(status: KernelStatus): void {
    const previous = this.currentStatus;
    this.currentStatus = status;
    if ((status === 'restarting' || status === 'autorestarting') && previous !== 'restarting' && previous !== 'autorestarting') this.restarts++;
    for (const listener of this.listeners) listener(status);
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.disposed) throw new KernelDiedError('The kernel connection was closed: start a new one');
    if (this.currentStatus === 'dead') throw new KernelDiedError(`The kernel ${this.kernel.name} is dead: restart it`);
    const silent = options.silent ?? false;
    const collector = new OutputCollector(options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS);
    const generationAtStart = this.restarts;
    const future = this.kernel.requestExecute({
      code,
      silent,
      store_history: options.storeHistory ?? !silent,
      allow_stdin: false,
      stop_on_error: !silent,
      user_expressions: options.userExpressions ?? {},
    });
    future.onIOPub = (message) => {
      const output = toOutput(message);
      if (!output) return;
      options.onOutput?.(output);
      collector.add(output);
    };
    let watch: Disposable | undefined;
    const death = new Promise<never>((_resolve, reject) => {
      watch = this.onDidChangeStatus((status) => {
        if (status === 'dead' || this.restarts !== generationAtStart) {
          reject(new KernelDiedError(`The kernel ${status === 'dead' ? 'died' : 'restarted'} while executing code: output and state from this execution are lost`));
        }
      });
    });
    try {
      const reply = await Promise.race([future.done, death]);
      const content = reply.content;
      const result: ExecuteResult = {
        status: content.status,
        executionCount: content.status === 'abort' ? null : ((content as { execution_count?: number | null }).execution_count ?? null),
        outputs: collector.outputs,
        stdout: collector.stdout,
        outputsTruncated: collector.truncated,
      } as ExecuteResult;
      if (content.status === 'error') result.error = { ename: content.ename, evalue: content.evalue, traceback: content.traceback };
      if (content.status === 'ok' && options.userExpressions) result.userExpressions = toUserExpressionResults(content.user_expressions);
      if ((content.status as string) === 'abort') result.status = 'aborted';
      return result;
    } catch (error) {
      if (error instanceof KernelDiedError) throw error;
      if (this.isGone(generationAtStart)) {
        throw new KernelDiedError('The kernel died while executing code: output and state from this execution are lost');
      }
      throw error;
    } finally {
      watch?.dispose();
      if (!future.isDisposed) future.dispose();
    }
  }

  private isGone(generationAtStart: number): boolean {
    return this.status === 'dead' || this.restarts !== generationAtStart || this.kernel.isDisposed;
  }

  async interrupt(): Promise<void> {
    await this.kernel.interrupt();
  }

  async restart(): Promise<void> {
    await this.kernel.restart();
    await withTimeout(this.kernel.requestKernelInfo(), 60000, 'the kernel did not answer after a restart');
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.ownedServer) {
      // Stopping our own server shuts its kernels down (bounded by its launcher); closing the
      // connection first keeps the client from reconnecting to a server on its way out.
      this.kernel.dispose();
      this.manager.dispose();
      await this.ownedServer.dispose();
      return;
    }
    try {
      await withTimeout(this.kernel.shutdown(), 10000, 'kernel shutdown timed out');
    } catch {
      // The server may already be gone.
    }
    this.kernel.dispose();
    this.manager.dispose();
  }
}

/**
 * On a restart the connection reconnects twice (once for the restart request, once for the
 * server's 'restarting' status) from a fire-and-forget promise; the losing attempt rejects with
 * nobody listening, which would crash the process. A failed connection still shows as status
 * 'dead' or a failing request, so the rejection itself carries nothing we need.
 */
function swallowReconnectFailures(kernel: Kernel.IKernelConnection): void {
  const reconnect = kernel.reconnect.bind(kernel);
  (kernel as { reconnect: () => Promise<void> }).reconnect = () => reconnect().catch(() => undefined);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new KernelDiedError(`${what} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toUserExpressionResults(raw: Record<string, unknown> | undefined): Record<string, UserExpressionResult> {
  const results: Record<string, UserExpressionResult> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const entry = value as { status?: string; data?: Record<string, unknown>; ename?: string; evalue?: string };
    const text = entry.data?.['text/plain'];
    if (entry.status === 'ok' && typeof text === 'string') results[name] = { status: 'ok', text };
    else results[name] = { status: 'error', ename: entry.ename ?? 'Error', evalue: entry.evalue ?? 'no text/plain result' };
  }
  return results;
}
