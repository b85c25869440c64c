/** Literal file paths read or written by well-known calls (`open`, pandas/numpy/joblib/pickle I/O, …). */
import { stringLiteral } from './literals';
import { childByField, type PyNode } from './syntax-tree';

export interface CallShape {
  /** Dotted callee, `<expr>` when not a name chain. */
  callee: string;
  method?: string;
  /** Root name of the callee chain. */
  root?: string;
  /** The callee expression (to look through `Path('p').read_text()`). */
  functionNode: PyNode;
  positional: PyNode[];
  keywords: Map<string, PyNode>;
}

/** A file a call reads or writes: a literal `path`, a `name` holding the path, or neither (unknown: any file). */
export interface FileAccess {
  access: 'read' | 'write';
  path?: string;
  name?: string;
  via: string;
}

type PathArgument = { path?: string; name?: string } | undefined;

const OPEN_CALLEES = new Set(['open', 'io.open', 'gzip.open', 'bz2.open', 'lzma.open', 'codecs.open']);
const PATH_CONSTRUCTORS = new Set(['Path', 'pathlib.Path', 'PurePath']);
const PATH_KEYWORDS = ['filepath_or_buffer', 'path_or_buf', 'path', 'io', 'excel_writer', 'fname', 'file', 'filename', 'f'];

const READERS = new Set([
  'read_csv', 'read_excel', 'read_parquet', 'read_json', 'read_pickle', 'read_table', 'read_feather', 'read_hdf',
  'read_fwf', 'read_orc', 'read_stata', 'read_sas', 'read_spss', 'read_xml', 'loadtxt', 'genfromtxt', 'fromfile',
  'imread', 'read_image', 'load_workbook',
]);
const WRITERS = new Set([
  'to_csv', 'to_parquet', 'to_excel', 'to_json', 'to_pickle', 'to_feather', 'to_hdf', 'to_stata', 'to_orc', 'to_xml',
  'savefig', 'savetxt', 'savez', 'savez_compressed', 'tofile', 'imsave', 'imwrite',
]);
/** `load`/`dump`/`save` are I/O only on these modules (np.load(path), joblib.dump(obj, path), …): argument index. */
const PATH_METHODS: Record<string, 'read' | 'write'> = { read_text: 'read', read_bytes: 'read', write_text: 'write', write_bytes: 'write' };
const MODULE_LOADERS: Record<string, number> = { np: 0, numpy: 0, joblib: 0, torch: 0 };
const MODULE_DUMPERS: Record<string, number> = { joblib: 1, torch: 1 };
const MODULE_SAVERS: Record<string, number> = { np: 0, numpy: 0, torch: 1 };

function argument(call: CallShape, index: number, keywords: readonly string[]): PyNode | undefined {
  if (index < call.positional.length) return call.positional[index];
  for (const keyword of keywords) {
    const node = call.keywords.get(keyword);
    if (node) return node;
  }
  return undefined;
}

function modeAccess(mode: string | undefined): ('read' | 'write')[] {
  if (mode === undefined || !/[wax+]/.test(mode)) return ['read'];
  return mode.includes('+') ? ['read', 'write'] : ['write'];
}

/** `Path('p')` (or `pathlib.Path('p')`) → 'p'. */
function pathConstructorLiteral(node: PyNode, source: string): string | undefined {
  if (node.type !== 'call') return undefined;
  const fn = childByField(node, 'function');
  const args = childByField(node, 'arguments');
  if (!fn || !args || !PATH_CONSTRUCTORS.has(source.slice(fn.startIndex, fn.endIndex))) return undefined;
  const first = args.children.find((child) => child.named);
  return first ? stringLiteral(first, source) : undefined;
}

function literalAt(call: CallShape, source: string, index: number, keywords: readonly string[] = PATH_KEYWORDS): string | undefined {
  const node = argument(call, index, keywords);
  return node ? stringLiteral(node, source) : undefined;
}

/** The path argument: a literal, a name, or some other expression (unknown); undefined when absent. */
function pathAt(call: CallShape, source: string, index: number, keywords: readonly string[] = PATH_KEYWORDS): PathArgument {
  const node = argument(call, index, keywords);
  if (!node) return undefined;
  const literal = stringLiteral(node, source) ?? pathConstructorLiteral(node, source);
  if (literal !== undefined) return { path: literal };
  if (node.type === 'identifier') return { name: source.slice(node.startIndex, node.endIndex) };
  return {};
}

function one(access: 'read' | 'write', path: PathArgument, via: string): FileAccess[] {
  return path === undefined ? [] : [{ access, ...path, via }];
}

export function fileAccesses(call: CallShape, source: string): FileAccess[] {
  const via = call.callee === '<expr>' && call.method ? call.method : call.callee;
  if (OPEN_CALLEES.has(call.callee)) {
    const path = pathAt(call, source, 0, ['file', 'filename']);
    if (path === undefined) return [];
    const modeGiven = argument(call, 1, ['mode']) !== undefined;
    const mode = literalAt(call, source, 1, ['mode']);
    // A mode that is not a literal may write.
    const accesses = modeGiven && mode === undefined ? (['read', 'write'] as const) : modeAccess(mode);
    return accesses.map((access) => ({ access, ...path, via }));
  }
  const method = call.method;
  if (!method) return [];
  if (call.functionNode.type === 'attribute') {
    const object = childByField(call.functionNode, 'object');
    const path = object ? pathConstructorLiteral(object, source) : undefined;
    if (path !== undefined) {
      const pathVia = `Path.${method}`;
      if (method === 'read_text' || method === 'read_bytes') return [{ access: 'read', path, via: pathVia }];
      if (method === 'write_text' || method === 'write_bytes') return [{ access: 'write', path, via: pathVia }];
      if (method === 'open') return modeAccess(literalAt(call, source, 0, ['mode'])).map((access) => ({ access, path, via: pathVia }));
    }
    // `p.read_text()` with `p = Path(...)` in some cell: the path is whatever `p` holds.
    if (object?.type === 'identifier' && PATH_METHODS[method]) {
      return [{ access: PATH_METHODS[method], name: source.slice(object.startIndex, object.endIndex), via: `Path.${method}` }];
    }
  }
  if (READERS.has(method)) return one('read', pathAt(call, source, 0), via);
  if (WRITERS.has(method)) return one('write', pathAt(call, source, 0), via);
  const root = call.root ?? '';
  if (method === 'load' && root in MODULE_LOADERS) return one('read', pathAt(call, source, MODULE_LOADERS[root]), via);
  if (method === 'dump' && root in MODULE_DUMPERS) return one('write', pathAt(call, source, MODULE_DUMPERS[root]), via);
  if (method === 'save') return one('write', pathAt(call, source, MODULE_SAVERS[root] ?? 0), via);
  return [];
}
