/**
 * A Jupyter Server that nbprov starts itself on 127.0.0.1 with a random port and token, and
 * stops on dispose or when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { JupyterServerStartError } from './errors';
import { findJupyterPython, type JupyterPython } from './pythonDiscovery';

export interface LocalServerOptions {
  /** The server's root directory; kernels start with it as their working directory. */
  rootDir: string;
  /** Explicit interpreter (else NBPROV_PYTHON, python3, /usr/bin/python3). */
  python?: string;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

export interface LocalJupyterServer {
  baseUrl: string;
  token: string;
  python: JupyterPython;
  rootDir: string;
  pid: number;
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // SIGTERM lets jupyter_server shut its kernels down; 'exit' handlers must be synchronous.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGTERM');
  });
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function answers(baseUrl: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}api/kernelspecs`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function startLocalJupyterServer(options: LocalServerOptions): Promise<LocalJupyterServer> {
  const python = await findJupyterPython({ python: options.python, env: options.env });
  const timeoutMs = options.startTimeoutMs ?? 60000;
  let lastProblem = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const args = [
      '-m', 'jupyter_server',
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
      // Its own process group: a Ctrl-C in the terminal reaches nbprov, which interrupts the kernel.
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
      running.delete(child);
    });
    running.add(child);
    installExitHook();
    const baseUrl = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + timeoutMs;
    while (!exited && Date.now() < deadline) {
      if (await answers(baseUrl, token)) {
        return {
          baseUrl,
          token,
          python,
          rootDir: options.rootDir,
          pid: child.pid ?? -1,
          dispose: () => stopChild(child),
        };
      }
      await delay(100);
    }
    await stopChild(child);
    const lines = stderrTail.trim().split('\n').filter((l) => /error|Error|\[C /.test(l));
    lastProblem = lines.pop()?.trim() ?? (exited ? 'the server exited' : `no answer within ${timeoutMs} ms`);
    if (!/address already in use|Errno 98/i.test(stderrTail)) break;
  }
  throw new JupyterServerStartError(`Could not start a Jupyter Server with ${python.path}: ${lastProblem}. Check that \`${python.path} -m jupyter_server --version\` works.`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      running.delete(child);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
