/**
 * Finds a Python interpreter that can run a Jupyter Server with an IPython kernel.
 * Order: an explicit path, NBPROV_PYTHON, `python3` on PATH, `/usr/bin/python3`. An explicit
 * choice (path or NBPROV_PYTHON) is honoured strictly: if it lacks Jupyter, that is the error.
 */
import { execFile } from 'node:child_process';
import { PythonNotFoundError } from './errors';

export type PythonSource = 'option' | 'NBPROV_PYTHON' | 'PATH' | 'system';

export interface JupyterPython {
  path: string;
  source: PythonSource;
  version: string;
  jupyterServerVersion: string;
  ipykernelVersion: string;
  /** The interpreter's own `sys.executable` (`path` may be a bare command found on PATH). */
  executable?: string;
  /** Kernel name → the interpreter its installed kernelspec runs (argv[0]), as this Python's jupyter_client sees them. */
  kernelSpecInterpreters?: Record<string, string>;
}

export interface FindPythonOptions {
  python?: string;
  env?: NodeJS.ProcessEnv;
  probeTimeoutMs?: number;
  /** Aborting kills a running probe (the search then fails). */
  signal?: AbortSignal;
}

interface Probe {
  ok: boolean;
  version?: string;
  missing?: string[];
  versions?: Record<string, string>;
  executable?: string;
  kernelspecs?: Record<string, string>;
  problem?: string;
}

const PROBE_SCRIPT = [
  'import json, sys',
  'out = {"version": sys.version.split()[0], "executable": sys.executable, "missing": [], "versions": {}}',
  'for name in ("jupyter_server", "ipykernel"):',
  '    try:',
  '        module = __import__(name)',
  '        out["versions"][name] = str(getattr(module, "__version__", "?"))',
  '    except Exception:',
  '        out["missing"].append(name)',
  'try:',
  '    from jupyter_client.kernelspec import KernelSpecManager',
  // The installed kernelspecs, without the private one nbprov puts first for a chosen interpreter.
  '    dirs = [d for d in KernelSpecManager().kernel_dirs if "nbprov-kernels-" not in d]',
  '    out["kernelspecs"] = {n: s["spec"]["argv"][0] for n, s in KernelSpecManager(kernel_dirs=dirs).get_all_specs().items() if s.get("spec", {}).get("argv")}',
  'except Exception:',
  '    pass',
  'print(json.dumps(out))',
].join('\n');

export const INSTALL_HINT =
  'install them with `apt-get install python3-jupyter-server python3-ipykernel` (Debian/Ubuntu) or `<python> -m pip install jupyter_server ipykernel`, or point --python / NBPROV_PYTHON at a Python that has them';

export function probePython(python: string, timeoutMs = 15000, env?: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Probe> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE_SCRIPT], { timeout: timeoutMs, env: env ?? process.env, signal }, (error, stdout, stderr) => {
      if (error && !stdout) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : firstLine(stderr) || error.message;
        resolve({ ok: false, problem: reason });
        return;
      }
      try {
        const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { version: string; executable?: string; missing: string[]; versions: Record<string, string>; kernelspecs?: Record<string, string> };
        resolve({
          ok: parsed.missing.length === 0,
          version: parsed.version,
          missing: parsed.missing,
          versions: parsed.versions,
          ...(parsed.executable ? { executable: parsed.executable } : {}),
          ...(parsed.kernelspecs ? { kernelspecs: parsed.kernelspecs } : {}),
        });
      } catch {
        resolve({ ok: false, problem: firstLine(stderr) || 'did not answer the probe' });
      }
    });
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

function describe(candidate: { path: string; source: PythonSource }, probe: Probe): string {
  const from = candidate.source === 'option' ? 'given with --python' : candidate.source === 'NBPROV_PYTHON' ? 'from NBPROV_PYTHON' : candidate.source === 'PATH' ? 'on PATH' : 'system';
  if (probe.problem) return `${candidate.path} (${from}): ${probe.problem}`;
  return `${candidate.path} (${from}, Python ${probe.version}) lacks ${probe.missing?.join(' and ')}`;
}

export async function findJupyterPython(options: FindPythonOptions = {}): Promise<JupyterPython> {
  const env = options.env ?? process.env;
  const explicit: { path: string; source: PythonSource } | null = options.python
    ? { path: options.python, source: 'option' }
    : env.NBPROV_PYTHON
      ? { path: env.NBPROV_PYTHON, source: 'NBPROV_PYTHON' }
      : null;
  const candidates = explicit
    ? [explicit]
    : [
        { path: 'python3', source: 'PATH' as const },
        { path: '/usr/bin/python3', source: 'system' as const },
      ];
  const problems: string[] = [];
  for (const candidate of candidates) {
    const probe = await probePython(candidate.path, options.probeTimeoutMs, env, options.signal);
    if (probe.ok && probe.version && probe.versions) {
      return {
        path: candidate.path,
        source: candidate.source,
        version: probe.version,
        jupyterServerVersion: probe.versions.jupyter_server ?? '?',
        ipykernelVersion: probe.versions.ipykernel ?? '?',
        ...(probe.executable ? { executable: probe.executable } : {}),
        ...(probe.kernelspecs ? { kernelSpecInterpreters: probe.kernelspecs } : {}),
      };
    }
    problems.push(describe(candidate, probe));
  }
  throw new PythonNotFoundError(`No Python with jupyter_server and ipykernel: ${problems.join('; ')}. To fix, ${INSTALL_HINT}.`);
}
