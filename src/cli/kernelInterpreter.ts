/**
 * Which interpreter ran the kernel, said after a run when the user chose one (--python,
 * NBPROV_PYTHON), or when the installed kernelspec ran another interpreter than the one nbprov
 * found for the server: the kernel reports its own `sys.executable`, so this is what ran, not what
 * was asked.
 */
import type { EnvironmentRecord } from '../core/records';
import { JupyterServerClient } from '../kernel/jupyterServerClient';
import type { KernelClient } from '../kernel/kernelClient';

export function kernelInterpreterNote(client: KernelClient, environment: EnvironmentRecord | null | undefined, kernelName: string | undefined): string | null {
  const local = client instanceof JupyterServerClient ? client.localServer : null;
  const chosen = local?.kernelPython;
  const ran = environment?.executable;
  if (!local || !ran) return null;
  if (!chosen) {
    const found = local.python.executable;
    if (!found || found === ran) return null;
    return `kernel: ${ran} (Python ${environment.languageVersion}, named by the installed kernelspec "${kernelName ?? 'python3'}"), not ${found} found for the server; pass --python ${found} to run the kernel on it`;
  }
  const from = local.python.source === 'option' ? '--python' : 'NBPROV_PYTHON';
  const name = kernelName ?? 'python3';
  if (ran !== chosen) {
    return `warning: the kernel ran on ${ran}, not on ${chosen} (${from}): the kernelspec "${name}" names its own interpreter; leave out --kernel to run on ${chosen}`;
  }
  const installed = local.python.kernelSpecInterpreters?.[name];
  const instead = installed && installed !== chosen ? `, instead of ${installed} named by the installed kernelspec "${name}"` : '';
  return `kernel: ${ran} (Python ${environment.languageVersion}, from ${from})${instead}`;
}
