/**
 * A Jupyter Server that nbprov starts itself on 127.0.0.1 with a random port and token, through
 * the launcher python/nbprov_server.py: the server and its kernels end when this process ends,
 * however it ends (even SIGKILL), and kernel websockets run with TCP_NODELAY. Nothing here touches
 * process-wide state (no exit hooks or signal handlers): callers dispose the server, and the
 * launcher covers every way of ending without a dispose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { ExecutionInterruptedError, JupyterServerStartError } from './errors';
import { findJupyterPython, type JupyterPython } from './pythonDiscovery';
import { pythonAssetPath } from './recorderAsset';
import { interpreterPath, writePrivateKernelSpec } from './privateKernelSpec';

export const SERVER_LAUNCHER_FILE = 'nbprov_server.py';

export interface LocalServerOptions {
  /** The server's root directory; kernels start with it as their working directory. */
  rootDir: string;
  /** Explicit interpreter (else NBPROV_PYTHON, python3, /usr/bin/python3). */
  python?: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Aborting stops a server that is still starting (start-up then rejects with ExecutionInterruptedError). */
  signal?: AbortSignal;
}

export interface LocalJupyterServer {
  baseUrl: string;
  token: string;
  python: JupyterPython;
  /** Set when the kernel runs on the chosen interpreter through nbprov's own `python3` kernelspec. */
  kernelPython?: string;
  rootDir: string;
  /** The server process; it leads its own process group (kernels run in their own sessions). */
  pid: number;
  dispose(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

async function answers(baseUrl: string, token: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const timeout = AbortSignal.timeout(2000);
    const response = await fetch(`${baseUrl}api/kernelspecs`, { headers: { Authorization: `token ${token}` }, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    return response.ok;
  } catch {
    return false;
  }
}

function interrupted(): ExecutionInterruptedError {
  return new ExecutionInterruptedError('Interrupted while the Jupyter Server was starting; nothing ran');
}

/**
 * An interpreter the user chose (--python, NBPROV_PYTHON) runs the kernel too, whatever the
 * installed kernelspec names: the server finds nbprov's private `python3` kernelspec first.
 */
export async function startLocalJupyterServer(options: LocalServerOptions): Promise<LocalJupyterServer> {
  const chosen = options.python ?? (options.env ?? process.env).NBPROV_PYTHON;
  if (!chosen) return startServer(options);
  const kernelSpec = writePrivateKernelSpec(interpreterPath(chosen, process.cwd()));
  try {
    const server = await startServer({ ...options, env: kernelSpec.env(options.env ?? process.env) });
    return { ...server, kernelPython: kernelSpec.python, dispose: () => server.dispose().finally(() => kernelSpec.dispose()) };
  } catch (error) {
    kernelSpec.dispose();
    throw error;
  }
}

async function startServer(options: LocalServerOptions): Promise<LocalJupyterServer> {
  const { signal } = options;
  if (signal?.aborted) throw interrupted();
  let python: JupyterPython;
  try {
    python = await findJupyterPython({ python: options.python, env: options.env, signal });
  } catch (error) {
    if (signal?.aborted) throw interrupted();
    throw error;
  }
  const launcher = pythonAssetPath(SERVER_LAUNCHER_FILE);
  const timeoutMs = options.startTimeoutMs ?? 60000;
  let lastProblem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    if (signal?.aborted) throw interrupted();
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const args = [
      launcher,
      // The launcher ends the server when this process is gone.
      String(process.pid),
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.token=${token}`,
      '--ServerApp.password=',
      '--ServerApp.open_browser=False',
      '--ServerApp.allow_root=True',
      // nbprov caps what it keeps itself; the browser-protecting rate limit would drop output silently.
      '--ServerApp.iopub_data_rate_limit=0',
      '--ServerApp.iopub_msg_rate_limit=0',
      `--ServerApp.root_dir=${options.rootDir}`,
    ];
    const child = spawn(python.path, args, {
      cwd: options.rootDir,
      env: { ...(options.env ?? process.env), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
      // Its own session: a Ctrl-C in the terminal reaches nbprov, which interrupts the kernel and
      // then stops the server.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const baseUrl = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + timeoutMs;
    while (!exited && !signal?.aborted && Date.now() < deadline) {
      if (await answers(baseUrl, token, signal)) {
        return {
          baseUrl,
          token,
          python,
          rootDir: options.rootDir,
          pid: child.pid ?? -1,
          dispose: () => stopChild(child),
        };
      }
      await delay(100, signal);
    }
    await stopChild(child);
    if (signal?.aborted) throw interrupted();
    const lines = stderrTail.trim().split('\n').filter((l) => /error|Error|\[C /.test(l));
    lastProblem = lines.pop()?.trim() ?? (exited ? 'the server exited' : `no answer within ${timeoutMs} ms`);
    if (!/address already in use|Errno 98/i.test(stderrTail)) break;
  }
  throw new JupyterServerStartError(`Could not start a Jupyter Server with ${python.path}: ${lastProblem}. Check that \`${python.path} -m jupyter_server --version\` works.`);
}

/** SIGTERM lets the launcher shut the kernels down; SIGKILL after 10 s (its own deadline is shorter). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
