/**
 * The recorder's Python source (shipped as a file) and the small, fixed pieces of code that
 * install it and talk to it. Parameters always travel as JSON data inside a string literal
 * produced by JSON.stringify (a valid Python string literal); no value is spliced into code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RecorderError } from './errors';

/** The recorder is a Python package shipped as a folder of modules. */
export const RECORDER_PACKAGE = 'nbprov_recorder';
/**
 * Its modules in install order: each imports only modules listed before it (checked by
 * test/kernel/recorder-modules.test.ts); `__init__` (the entry points) comes last.
 */
export const RECORDER_MODULES = ['bounds', 'kinds', 'hashing', 'framestats', 'sampling', 'summaries', 'changes', 'deferred', 'names', 'scope', 'files', 'environment', 'identity', 'recorder', '__init__'] as const;
/** First line of every code nbprov sends: the recorder never records such executions. */
export const INTERNAL_MARKER = '# nbprov:internal';
export const BEGIN = '@@nbprov-begin@@';
export const END = '@@nbprov-end@@';

let cachedSources: RecorderModuleSource[] | null = null;

export interface RecorderModuleSource {
  module: (typeof RECORDER_MODULES)[number];
  source: string;
}

/** A shipped Python file: dist/python/ next to the bundle, or src/kernel/python/ when running from source. */
export function pythonAssetPath(file: string): string {
  const candidates = [
    path.join(__dirname, 'python', file),
    path.join(__dirname, '..', 'src', 'kernel', 'python', file),
    path.join(__dirname, '..', '..', 'src', 'kernel', 'python', file),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new RecorderError(`${file} is missing (looked in ${candidates.join(', ')}): rebuild with \`npm run build\``);
  return found;
}

/** The folder holding the recorder package's modules. */
export function recorderSourcePath(): string {
  return pythonAssetPath(RECORDER_PACKAGE);
}

export function recorderSources(): RecorderModuleSource[] {
  if (!cachedSources) {
    const folder = recorderSourcePath();
    cachedSources = RECORDER_MODULES.map((module) => ({ module, source: readFileSync(path.join(folder, `${module}.py`), 'utf8') }));
  }
  return cachedSources;
}

/** A Python string literal holding `text`. JSON string syntax is a subset of Python's. */
export function pythonStringLiteral(text: string): string {
  return JSON.stringify(text);
}

/** A Python expression evaluating to the given JSON data (a dict, list, …). */
export function pythonJsonArgument(data: unknown): string {
  return `__import__("json").loads(${pythonStringLiteral(JSON.stringify(data))})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Throws unless `name` is a plain Python identifier (ASCII), so it is safe as data and as a name. */
export function assertIdentifier(name: string): void {
  if (!IDENTIFIER.test(name) || PYTHON_KEYWORDS.has(name)) {
    throw new RecorderError(`${JSON.stringify(name)} is not a Python variable name: use letters, digits and underscores, not starting with a digit`);
  }
}

export interface RecorderParams {
  kernelName?: string | null;
  maxRecords?: number;
  /** How the recorder detects in-place changes: "scoped" (default; only what the cell can reach) or "full" (every variable, the reference). */
  changeDetection?: 'scoped' | 'full';
  /** Adds a `debug` field to each record: hook times, names fingerprinted, peak memory the hooks allocated (tracemalloc). */
  measureMemory?: boolean;
}

/**
 * Code that loads the recorder package from its sources (no file on the kernel's side needed:
 * the kernel may run on another machine) and installs it. Submodules are registered in
 * sys.modules in order, so their relative imports resolve to the modules loaded before them.
 */
export function installCode(params: RecorderParams): string {
  const sources = recorderSources().map(({ module, source }) => [module, source]);
  return [
    INTERNAL_MARKER,
    'def _nbprov_bootstrap(sources, params):',
    '    import sys, types',
    '    from IPython import get_ipython',
    `    name = ${pythonStringLiteral(RECORDER_PACKAGE)}`,
    '    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:',
    '        del sys.modules[key]',
    '    package = types.ModuleType(name)',
    '    package.__path__ = []',
    '    package.__package__ = name',
    '    sys.modules[name] = package',
    '    for module_name, source in sources:',
    '        if module_name == "__init__":',
    '            module = package',
    '        else:',
    '            module = types.ModuleType(name + "." + module_name)',
    '            module.__package__ = name',
    '            sys.modules[module.__name__] = module',
    '            setattr(package, module_name, module)',
    '        exec(compile(source, name + "/" + module_name + ".py", "exec"), module.__dict__)',
    '    return package.install(get_ipython(), params)',
    `print(${pythonStringLiteral(BEGIN)} + _nbprov_bootstrap(${pythonJsonArgument(sources)}, ${pythonJsonArgument(params)}) + ${pythonStringLiteral(END)})`,
    'del _nbprov_bootstrap',
  ].join('\n');
}

/** Calls `nbprov_recorder.<fn>(shell, params)` and prints its JSON answer between markers. */
export function callCode(fn: 'collect_json' | 'summarize_names_json' | 'uninstall_json', params: Record<string, unknown>): string {
  return [
    INTERNAL_MARKER,
    `(lambda m, ip: print(${pythonStringLiteral(BEGIN)} + (m.${fn}(ip, ${pythonJsonArgument(params)}) if m is not None else ${pythonStringLiteral('{"installed": false}')}) + ${pythonStringLiteral(END)}))(__import__("sys").modules.get("nbprov_recorder"), __import__("IPython").get_ipython())`,
  ].join('\n');
}

/**
 * A user expression (evaluated after a cell, answered in its execute reply) whose text/plain
 * result is the collect_json document; `null` as JSON when no recorder is installed.
 */
export function collectExpression(params: Record<string, unknown>): string {
  return `(lambda m, ip: m.collect_reply(ip, ${pythonJsonArgument(params)}) if m is not None else None)(__import__("sys").modules.get("nbprov_recorder"), __import__("IPython").get_ipython())`;
}

/** The JSON document between the markers in a silent request's stdout. */
export function extractAnswer(stdout: string): unknown {
  const start = stdout.lastIndexOf(BEGIN);
  const end = stdout.lastIndexOf(END);
  if (start < 0 || end < start) throw new RecorderError('The recorder gave no answer: the kernel may not be an IPython kernel');
  try {
    return JSON.parse(stdout.slice(start + BEGIN.length, end));
  } catch (error) {
    throw new RecorderError(`The recorder's answer is not valid JSON (${(error as Error).message}): re-install the recorder`);
  }
}
