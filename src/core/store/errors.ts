/** Typed errors and warnings of the store: code + data; every message names the file and says what to do. */

import { NbprovError } from '../errors';

/** Code → data of the store errors (see CoreErrorData). */
export interface StoreErrorData {
  'store-newer-schema': { path: string; fileVersion: number; supportedVersion: number };
  /** `reason`: the system error code (EACCES, ENOSPC…) or a message. */
  'store-unwritable': { path: string; reason: string };
  'store-unreadable': { path: string; reason: string };
  'store-busy': { path: string; lockPath: string };
  'store-wasm-not-found': { searched: string[] };
  /** A corrupt store that could not be moved aside (so nbprov could not start a fresh one). */
  'store-corrupt-unmovable': { path: string; reason: string; moveError: string };
  /** The store could not do something, said in `detail`. */
  'store-failed': { path?: string; detail: string };
  /** A record handed to the store is missing something the store needs (a caller's bug). */
  'store-input': { detail: string };
}

type Code = keyof StoreErrorData;

export class StoreError<C extends Code = Code> extends NbprovError<C, StoreErrorData[C]> {
  /** A plain StoreError is `store-failed` with the message as its detail. */
  constructor(message: string, details?: { code: C; data: StoreErrorData[C] }) {
    super(message, details ?? ({ code: 'store-failed', data: { detail: message } } as { code: C; data: StoreErrorData[C] }));
  }
}

/** The file was written by a newer nbprov; it is left untouched. */
export class StoreNewerSchemaError extends StoreError<'store-newer-schema'> {
  constructor(
    readonly filePath: string,
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `the store at ${filePath} was written by a newer nbprov (schema ${fileVersion}; this nbprov knows up to ${supportedVersion}); upgrade nbprov`,
      { code: 'store-newer-schema', data: { path: filePath, fileVersion, supportedVersion } },
    );
  }
}

/** The store's directory or file cannot be written (permissions, read-only file system, a file in the way). */
export class StoreUnwritableError extends StoreError<'store-unwritable'> {
  constructor(
    readonly filePath: string,
    override readonly cause: unknown,
  ) {
    super(`cannot write the store at ${filePath}: ${describeFsError(cause)}; ${unwritableFix(cause)}`, {
      code: 'store-unwritable',
      data: { path: filePath, reason: errorCode(cause) ?? describeFsError(cause) },
    });
  }
}

/** The store file exists but cannot be read. */
export class StoreUnreadableError extends StoreError<'store-unreadable'> {
  constructor(
    readonly filePath: string,
    override readonly cause: unknown,
  ) {
    super(`cannot read the store at ${filePath}: ${describeFsError(cause)}`, {
      code: 'store-unreadable',
      data: { path: filePath, reason: errorCode(cause) ?? describeFsError(cause) },
    });
  }
}

/** Another process holds the store's lock for longer than we are willing to wait. */
export class StoreBusyError extends StoreError<'store-busy'> {
  constructor(
    readonly filePath: string,
    readonly lockPath: string,
  ) {
    super(`the store at ${filePath} is locked by another nbprov process; if none is running, delete ${lockPath}`, {
      code: 'store-busy',
      data: { path: filePath, lockPath },
    });
  }
}

/** sql.js's WASM file was not found in any of the places nbprov looks (never fetched from the network). */
export class StoreWasmNotFoundError extends StoreError<'store-wasm-not-found'> {
  constructor(readonly searched: string[]) {
    super(`sql-wasm.wasm not found (looked in ${searched.join(', ')}); reinstall nbprov or pass wasmDir`, { code: 'store-wasm-not-found', data: { searched } });
  }
}

/** A corrupt store could not be moved aside. */
export class StoreCorruptUnmovableError extends StoreError<'store-corrupt-unmovable'> {
  constructor(filePath: string, reason: string, moveError: string) {
    super(`the store at ${filePath} is corrupt (${reason}) and could not be moved aside: ${moveError}; move it away by hand`, {
      code: 'store-corrupt-unmovable',
      data: { path: filePath, reason, moveError },
    });
  }
}

/** Something the caller can show the user; the store carried on. */
export interface StoreWarning {
  kind: 'corrupt';
  message: string;
}

/** A corrupt store file was moved aside (never deleted) and a new, empty store started in its place. */
export class StoreCorruptWarning implements StoreWarning {
  readonly kind = 'corrupt' as const;
  readonly message: string;
  constructor(
    readonly filePath: string,
    readonly movedTo: string,
    readonly reason: string,
  ) {
    this.message = `the store at ${filePath} was corrupt (${reason}); moved to ${movedTo}; starting a new store`;
  }
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function unwritableFix(err: unknown): string {
  switch (errorCode(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free some space on that disk and run again (the store on disk is unchanged)';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'move the file out of the way of the .nbprov directory';
    default:
      return 'check that the directory exists and is writable';
  }
}

function describeFsError(err: unknown): string {
  const code = errorCode(err);
  const explanation: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a path component is a file, not a directory',
    EEXIST: 'a file is in the way of the directory',
    EISDIR: 'it is a directory',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
  };
  if (code && explanation[code]) return `${explanation[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/** A record handed to the store is missing something the store needs. */
export class StoreInputError extends StoreError<'store-input'> {
  constructor(message: string) {
    super(message, { code: 'store-input', data: { detail: message } });
  }
}
