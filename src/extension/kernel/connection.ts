/**
 * Where the kernels of "nbprov: Python" run: a Jupyter Server nbprov starts on 127.0.0.1 (one per
 * notebook folder and interpreter, shared by the notebooks there, started on first use), or a
 * remote server given by URL with its token from secret storage. No `vscode` here: the caller
 * passes settings and the token in, so this is tested in plain Node against a real server.
 */
import type { KernelClient } from '../../kernel/kernelClient';
import { startLocalJupyterServer, type LocalJupyterServer } from '../../kernel/localServer';
import { redactServerUrl } from '../../kernel/serverUrl';
import { KernelLayerError } from '../../kernel/errors';
import { NbprovError } from '../../core/errors';
import { COMMANDS } from '../commands';

export interface ConnectionRequest {
  /** Setting nbprov.python.interpreter; empty = discover. */
  readonly pythonInterpreter: string;
  /** Setting nbprov.jupyter.serverUrl; empty = a local server. */
  readonly serverUrl: string;
  /** The remote server's token (from secret storage); only read when `serverUrl` is set. */
  readonly token: () => Promise<string | undefined>;
  /** The notebook's folder: a local kernel's working directory. */
  readonly rootDir: string;
}

export interface ConnectionLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The interpreter setting as a path to run: `~` is the home folder and `${workspaceFolder}` the
 * notebook's workspace folder, as people write them in VS Code settings (e.g. `${workspaceFolder}/.venv/bin/python`).
 */
export function resolveInterpreter(setting: string, workspaceFolder: string | undefined, home: string): string {
  let value = setting.trim();
  if (workspaceFolder) value = value.split('${workspaceFolder}').join(workspaceFolder);
  return value.replace(/^~(?=$|\/)/, home);
}

/** Debian's packages that give a system Python what the local server needs. */
export const DEBIAN_PACKAGES = 'python3-jupyter-server python3-ipykernel';

export class KernelConnector {
  private readonly servers = new Map<string, Promise<LocalJupyterServer>>();
  private disposed = false;

  constructor(private readonly log: ConnectionLog) {}

  /** Starts a kernel for one notebook. Errors are NbprovErrors whose message names the fix in the editor. */
  async connect(request: ConnectionRequest): Promise<KernelClient> {
    if (this.disposed) throw new NbprovError('nbprov is shutting down: no new kernels');
    try {
      return request.serverUrl ? await this.connectRemote(request) : await this.connectLocal(request);
    } catch (error) {
      throw editorError(error, request);
    }
  }

  private async connectRemote(request: ConnectionRequest): Promise<KernelClient> {
    const token = (await request.token()) ?? '';
    this.log.info(`starting a kernel on ${redactServerUrl(request.serverUrl)} (${token ? 'with' : 'without'} a token)`);
    return (await jupyterServerClient()).connectRemote({ url: request.serverUrl, token });
  }

  private async connectLocal(request: ConnectionRequest): Promise<KernelClient> {
    const key = `${request.pythonInterpreter}\u0000${request.rootDir}`;
    for (let attempt = 0; ; attempt++) {
      const server = await this.localServer(key, request);
      try {
        return await (await jupyterServerClient()).connectRemote({ url: server.baseUrl, token: server.token });
      } catch (error) {
        // A server that went away (killed, crashed) is started again once.
        if (attempt > 0 || !(error instanceof KernelLayerError) || error.code !== 'server-unreachable') throw error;
        this.log.warn(`the local Jupyter Server for ${request.rootDir} stopped answering; starting a new one`);
        this.servers.delete(key);
        void server.dispose();
      }
    }
  }

  private localServer(key: string, request: ConnectionRequest): Promise<LocalJupyterServer> {
    let server = this.servers.get(key);
    if (!server) {
      this.log.info(`starting a local Jupyter Server in ${request.rootDir}${request.pythonInterpreter ? ` with ${request.pythonInterpreter}` : ''}`);
      server = startLocalJupyterServer({ rootDir: request.rootDir, python: request.pythonInterpreter || undefined });
      server.then(
        (s) => this.log.info(`local Jupyter Server ready (pid ${s.pid}, ${s.python.path}, Python ${s.python.version})`),
        () => this.servers.delete(key),
      );
      this.servers.set(key, server);
    }
    return server;
  }

  /** Stops every local server this connector started (their kernels with them). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map((s) => s.then((server) => server.dispose(), () => undefined)));
  }
}

/** Loaded on the first kernel start, not at activation (@jupyterlab/services is large). */
async function jupyterServerClient() {
  return (await import('../../kernel/jupyterServerClient')).JupyterServerClient;
}

/** The kernel layer's messages name the CLI's fixes (--python, NBPROV_JUPYTER_TOKEN); say the editor's. */
export function editorError(error: unknown, request: Pick<ConnectionRequest, 'serverUrl' | 'pythonInterpreter'>): Error {
  if (!(error instanceof KernelLayerError)) return error instanceof Error ? error : new Error(String(error));
  switch (error.code) {
    case 'python-not-found': {
      const found = tried(error.message);
      return new NbprovError(
        request.pythonInterpreter
          ? `The setting nbprov.python.interpreter names ${request.pythonInterpreter}, which cannot run a Jupyter kernel${found ? ` (${found})` : ''}: point it at a Python with jupyter_server and ipykernel, or install them (Debian/Ubuntu: apt-get install ${DEBIAN_PACKAGES}).`
          : `No Python with jupyter_server and ipykernel was found${found ? ` (${found})` : ''}: install them (Debian/Ubuntu: apt-get install ${DEBIAN_PACKAGES}; else python3 -m pip install jupyter_server ipykernel), or set nbprov.python.interpreter to a Python that has them.`,
      );
    }
    case 'server-start-failed':
      return new NbprovError(`${error.message.replace(/\.$/, '')}; or set nbprov.python.interpreter to another Python.`);
    case 'server-auth-rejected':
      return new NbprovError(`The Jupyter Server at ${redactServerUrl(request.serverUrl)} refused the token: run "${COMMANDS.setServerToken.title}" (${COMMANDS.setServerToken.id}) and enter the server's token.`);
    case 'server-unreachable':
      return new NbprovError(request.serverUrl ? `${error.message} (setting nbprov.jupyter.serverUrl).` : error.message);
    default:
      return error;
  }
}

/** What discovery tried, from the kernel layer's message, without the CLI's wording of where it came from. */
function tried(message: string): string {
  const match = /^No Python with jupyter_server and ipykernel: (.*?)\. To fix/.exec(message);
  return match ? match[1]!.replace(/ \(given with --python\)| \(from NBPROV_PYTHON\)/g, '') : '';
}
