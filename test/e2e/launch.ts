/**
 * Starts a real VS Code for an end-to-end test: code-server 4.100.3 (installed once into a cache by
 * scripts/e2e/install-code-server.sh) on a free 127.0.0.1 port, with its own user data, extensions
 * and XDG folders under a temporary folder, the packaged .vsix installed, and Debian's Chromium
 * driven by playwright-core showing the workspace. `stop()` ends every process the run started —
 * code-server with its extension host and the kernels it spawned, and Chromium — even after a failure:
 * each process inherits a marker variable and whatever still carries it at the end is killed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { Editor } from './editor';
import { ROOT, packageExtension } from './vsix';

const CHROMIUM = '/usr/bin/chromium';
const MARKER_VARIABLE = 'NBPROV_E2E_RUN';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
export const FIXTURES = path.join(__dirname, 'fixtures');

/** Generous bounds: a loaded 2-core machine is slow, and a bound only ever turns a hang into a failure. */
export const STARTUP_TIMEOUT_MS = 180_000;

export interface EditorOptions {
  /** Names the artifacts folder (test-artifacts/e2e/NAME) and the temporary folder. */
  readonly name: string;
  /** Files copied from test/e2e/fixtures into the workspace. */
  readonly fixtures: readonly string[];
  /** Extra user settings. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface EditorRun {
  readonly editor: Editor;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly vsix: string;
  readonly artifacts: string;
  /** Ends every process of the run and keeps its logs in the artifacts folder. */
  stop(): Promise<void>;
}

/** Installs code-server when the cache lacks it (first run on a machine) and returns its entry script. */
export function codeServerEntry(): string {
  const script = path.join(ROOT, 'scripts', 'e2e', 'install-code-server.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`installing code-server failed (exit ${result.status}); run 'bash scripts/setup.sh' and see the output above`);
  const entry = path.join(result.stdout.trim(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server entry ${entry} is missing after install`);
  return entry;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Processes (other than this one) whose environment carries this run's marker. */
function markedProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARKER_VARIABLE}=${marker}`)) found.push(pid);
    } catch {
      // The process ended, or is not ours to read.
    }
  }
  return found;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Markers of runs not stopped yet. If the test process ends without `stop()` (an interrupted run,
 * a crash), their processes are killed on the way out.
 */
const liveMarkers = new Map<string, string>();
let exitHooked = false;
function killLeftoversOnExit(marker: string, temp: string): void {
  liveMarkers.set(marker, temp);
  if (exitHooked) return;
  exitHooked = true;
  const sweep = () => {
    for (const [m, temp] of liveMarkers) {
      for (const pid of markedProcesses(m)) kill(pid, 'SIGKILL');
      rmSync(temp, { recursive: true, force: true });
    }
  };
  process.once('exit', sweep);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      sweep();
      process.kill(process.pid, signal);
    });
  }
}

export const USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  // The web build auto-saves after a delay and would rewrite the notebook behind the test's back.
  'files.autoSave': 'off',
  'editor.hover.delay': 200,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

function copyLogs(from: string, to: string): void {
  if (!existsSync(from)) return;
  try {
    cpSync(from, to, { recursive: true, filter: (src) => statSync(src).isDirectory() || src.endsWith('.log') });
  } catch {
    // Logs are a help for whoever reads the artifacts; losing one must not hide the test's result.
  }
}

export async function startEditor(options: EditorOptions): Promise<EditorRun> {
  const artifacts = path.join(ARTIFACTS, options.name);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const temp = mkdtempSync(path.join(os.tmpdir(), `nbprov-e2e-${options.name}-`));
  const workspace = path.join(temp, 'workspace');
  const userDataDir = path.join(temp, 'user-data');
  const extensionsDir = path.join(temp, 'extensions');
  const xdg = path.join(temp, 'xdg');
  for (const dir of [workspace, path.join(userDataDir, 'User'), extensionsDir, ...['config', 'data', 'cache', 'runtime'].map((d) => path.join(xdg, d))]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  for (const file of options.fixtures) cpSync(path.join(FIXTURES, file), path.join(workspace, file));
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...options.settings }, null, 2));

  const marker = randomUUID();
  killLeftoversOnExit(marker, temp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [MARKER_VARIABLE]: marker,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    XDG_RUNTIME_DIR: path.join(xdg, 'runtime'),
  };
  delete env.NBPROV_DEBUG;
  delete env.NODE_OPTIONS;

  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null) {
      kill(-server.pid, 'SIGTERM');
      await waitUntil('code-server to stop', 10_000, async () => server?.exitCode !== null || server?.signalCode !== null).catch(() => undefined);
    }
    // Whatever escaped the process group (a kernel in its own session, a browser helper).
    for (const pid of markedProcesses(marker)) kill(pid, 'SIGTERM');
    await waitUntil('the run\'s processes to end', 5_000, async () => markedProcesses(marker).length === 0).catch(() => undefined);
    for (const pid of markedProcesses(marker)) kill(pid, 'SIGKILL');
    liveMarkers.delete(marker);
    copyLogs(path.join(userDataDir, 'logs'), path.join(artifacts, 'logs'));
    rmSync(temp, { recursive: true, force: true });
  };

  try {
    if (!existsSync(CHROMIUM)) throw new Error(`Debian's Chromium (${CHROMIUM}) is missing; install it with: bash scripts/setup.sh`);
    const entry = codeServerEntry();
    const vsix = packageExtension(artifacts);
    const install = spawnSync(process.execPath, [entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir], { env, encoding: 'utf8' });
    if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${install.status}):\n${install.stdout}\n${install.stderr}`);
    }

    const port = await freePort();
    const serverLog = createWriteStream(path.join(artifacts, 'code-server.log'));
    server = spawn(
      process.execPath,
      [
        entry,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        workspace,
      ],
      { env, cwd: workspace, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout?.pipe(serverLog);
    server.stderr?.pipe(serverLog);
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(`code-server on ${url} (see ${path.join(artifacts, 'code-server.log')})`, STARTUP_TIMEOUT_MS, async () => {
      if (server?.exitCode !== null) throw new Error(`code-server exited with ${server?.exitCode}; see ${path.join(artifacts, 'code-server.log')}`);
      try {
        return (await fetch(`${url}/healthz`)).status === 200;
      } catch {
        return false;
      }
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    const consoleLog = createWriteStream(path.join(artifacts, 'browser-console.log'));
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    const editor = new Editor(page, artifacts, userDataDir);
    await editor.waitForWorkbench();
    return { editor, workspace, userDataDir, extensionsDir, vsix, artifacts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
