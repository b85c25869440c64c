/**
 * Loads sql.js with its WASM read from disk (never fetched): first an explicit `wasmDir`, then the
 * `wasm/` folder next to the bundle (esbuild copies it to dist/wasm and the bundle's __dirname is
 * dist/), then the installed package. One module per WASM file per process.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { StoreWasmNotFoundError } from './errors';

const WASM_NAME = 'sql-wasm.wasm';
const modules = new Map<string, Promise<SqlJsStatic>>();

export function locateSqlWasm(wasmDir?: string): string {
  const candidates: string[] = [];
  if (wasmDir) candidates.push(path.join(wasmDir, WASM_NAME));
  candidates.push(path.join(__dirname, 'wasm', WASM_NAME));
  try {
    candidates.push(require.resolve(`sql.js/dist/${WASM_NAME}`));
  } catch {
    // not installed as a package (e.g. inside a bundle): the earlier candidates must do
  }
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new StoreWasmNotFoundError(candidates);
  return found;
}

export function loadSqlJs(wasmDir?: string): Promise<SqlJsStatic> {
  const wasmPath = locateSqlWasm(wasmDir);
  let loading = modules.get(wasmPath);
  if (!loading) {
    const wasmBinary = readFileSync(wasmPath);
    loading = initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
    loading.catch(() => modules.delete(wasmPath));
    modules.set(wasmPath, loading);
  }
  return loading;
}
