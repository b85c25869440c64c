/**
 * Loads web-tree-sitter and the tree-sitter-python grammar once per process. The WASM files are
 * read from disk only: `options.wasmDir`, then `<bundle dir>/wasm` (where the esbuild build copies
 * them), then the installed npm packages. Never from the network.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { cursorExports, type CursorExports } from './tree-walk';

// Required, not imported: for an `import`, esbuild bundles the package's ESM build, whose
// `import.meta.url` is empty in the CommonJS bundle and breaks its WASM loader; `require` picks the
// package's CommonJS build, which works both bundled and under tsx.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof TreeSitter;
type Parser = TreeSitter.Parser;
type Language = TreeSitter.Language;

export class PythonParserLoadError extends Error {
  override readonly name = 'PythonParserLoadError';
}

const RUNTIME_WASM = 'tree-sitter.wasm';
const PYTHON_WASM = 'tree-sitter-python.wasm';

const languageByGrammarPath = new Map<string, Promise<Language>>();
let runtimeInit: Promise<void> | undefined;
/** The options object given to `Parser.init`: Emscripten fills it in and uses it as the module. */
let runtimeModule: object | undefined;

function packagedWasm(specifier: string): string | undefined {
  try {
    return require.resolve(specifier);
  } catch {
    return undefined;
  }
}

/** Where a WASM file is, in the documented search order; undefined when nowhere. */
export function locateWasm(fileName: string, wasmDir?: string): string | undefined {
  const candidates = [
    wasmDir ? path.join(wasmDir, fileName) : undefined,
    typeof __dirname === 'string' ? path.join(__dirname, 'wasm', fileName) : undefined,
    fileName === RUNTIME_WASM ? packagedWasm('web-tree-sitter/tree-sitter.wasm') : packagedWasm('tree-sitter-python/tree-sitter-python.wasm'),
  ];
  return candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate));
}

function requireWasm(fileName: string, wasmDir?: string): string {
  const found = locateWasm(fileName, wasmDir);
  if (!found) {
    throw new PythonParserLoadError(
      `Cannot find ${fileName}: looked in ${wasmDir ?? '(no wasmDir)'}, ${path.join(__dirname, 'wasm')} and node_modules; ` +
        'run `npm run build` or pass wasmDir pointing at a folder that holds it.',
    );
  }
  return found;
}

/** A parser with the Python grammar set. Each caller gets its own Parser; the runtime and grammar are shared. */
export async function createPythonParser(wasmDir?: string): Promise<Parser> {
  const runtimePath = requireWasm(RUNTIME_WASM, wasmDir);
  // web-tree-sitter types its options as Emscripten's module type; only locateFile matters here.
  const moduleOptions = { locateFile: () => runtimePath };
  runtimeInit ??= Parser.init(moduleOptions as unknown as Parameters<typeof Parser.init>[0]).then(
    () => {
      runtimeModule = moduleOptions;
    },
    (error: unknown) => {
      runtimeInit = undefined;
      throw new PythonParserLoadError(`Cannot start web-tree-sitter from ${runtimePath}: ${String(error)}`);
    },
  );
  await runtimeInit;
  const grammarPath = requireWasm(PYTHON_WASM, wasmDir);
  let language = languageByGrammarPath.get(grammarPath);
  if (!language) {
    language = Language.load(grammarPath).catch((error: unknown) => {
      languageByGrammarPath.delete(grammarPath);
      throw new PythonParserLoadError(`Cannot load the Python grammar from ${grammarPath}: ${String(error)}`);
    });
    languageByGrammarPath.set(grammarPath, language);
  }
  const parser = new Parser();
  parser.setLanguage(await language);
  return parser;
}

/** The runtime's cursor exports for the fast tree walk (see tree-walk.ts); undefined before init or when absent. */
export function runtimeCursorExports(): CursorExports | undefined {
  return cursorExports(runtimeModule);
}
