/**
 * The kernel runs on the interpreter the user chose (--python, NBPROV_PYTHON, the editor's
 * setting), not on whatever the system's `python3` kernelspec names (Debian's names
 * /usr/bin/python3). nbprov writes a `python3` kernelspec for that interpreter into a private
 * temporary directory and puts it first on the server's JUPYTER_PATH, which jupyter_client searches
 * before the user and system kernel directories; `--kernel OTHER` still picks any other kernel.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRIVATE_KERNEL_NAME = 'python3';

export interface PrivateKernelSpec {
  /** The directory to put first on JUPYTER_PATH (it holds kernels/python3/kernel.json). */
  dataDir: string;
  /** The interpreter the kernelspec runs, absolute when it was given as a path. */
  python: string;
  /** The server's environment with JUPYTER_PATH pointing here first. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  dispose(): void;
}

/** A relative path (`venv/bin/python`) is resolved against `cwd`; a bare command name stays a PATH lookup. */
export function interpreterPath(python: string, cwd: string): string {
  return python.includes(path.sep) || python.includes('/') ? path.resolve(cwd, python) : python;
}

export function writePrivateKernelSpec(python: string): PrivateKernelSpec {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-kernels-'));
  const specDir = path.join(dataDir, 'kernels', PRIVATE_KERNEL_NAME);
  mkdirSync(specDir, { recursive: true });
  const spec = {
    argv: [python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    display_name: `Python 3 (${python})`,
    language: 'python',
    metadata: { debugger: true, nbprov: { chosenInterpreter: python } },
  };
  writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify(spec, null, 1));
  return {
    dataDir,
    python,
    env: (base) => ({ ...base, JUPYTER_PATH: base.JUPYTER_PATH ? `${dataDir}${path.delimiter}${base.JUPYTER_PATH}` : dataDir }),
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
