/**
 * Typed errors of the kernel layer. Each message is one line that names the problem and the fix;
 * `code` lets the CLI and the extension react without parsing messages. They are NbprovErrors:
 * the environment (Python, server, kernel), not a bug in nbprov, so front ends print one line.
 */
import { NbprovError } from '../core/errors';

export type KernelErrorCode =
  | 'python-not-found'
  | 'server-start-failed'
  | 'server-unreachable'
  | 'server-auth-rejected'
  | 'kernelspec-not-found'
  | 'kernel-died'
  | 'interrupted'
  | 'recorder-failed'
  | 'not-supported'
  | 'no-kernel';

export class KernelLayerError extends NbprovError {
  constructor(
    override readonly code: KernelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** No usable Python: missing, or lacking jupyter_server / ipykernel. */
export class PythonNotFoundError extends KernelLayerError {
  constructor(message: string) {
    super('python-not-found', message);
  }
}

export class JupyterServerStartError extends KernelLayerError {
  constructor(message: string) {
    super('server-start-failed', message);
  }
}

export class JupyterServerUnreachableError extends KernelLayerError {
  constructor(message: string) {
    super('server-unreachable', message);
  }
}

export class JupyterAuthError extends KernelLayerError {
  constructor(message: string) {
    super('server-auth-rejected', message);
  }
}

export class KernelSpecNotFoundError extends KernelLayerError {
  constructor(message: string) {
    super('kernelspec-not-found', message);
  }
}

/** The kernel died (or was restarted under us) while work was in flight. */
export class KernelDiedError extends KernelLayerError {
  constructor(message: string) {
    super('kernel-died', message);
  }
}

export class ExecutionInterruptedError extends KernelLayerError {
  constructor(message: string) {
    super('interrupted', message);
  }
}

/** The recorder could not be installed or its answer could not be read. */
export class RecorderError extends KernelLayerError {
  constructor(message: string) {
    super('recorder-failed', message);
  }
}

export class NotSupportedError extends KernelLayerError {
  constructor(message: string) {
    super('not-supported', message);
  }
}

/** The notebook has no running kernel to record from. */
export class NoKernelError extends KernelLayerError {
  constructor(message: string) {
    super('no-kernel', message);
  }
}
