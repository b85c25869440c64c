/** `createPythonAnalyzer`: CellFacts for Python cells (IPython syntax included) via tree-sitter-python. */
import type { Parser, Tree } from 'web-tree-sitter';
import { emptyFacts, type CellFacts, type Diagnostic } from '../facts';
import { compileMutationRules, type MutationRuleExtensions } from '../mutation-rules';
import { transformIPython } from './ipython';
import { createPythonParser, runtimeCursorExports } from './parser';
import { copyTree, type PyNode } from './syntax-tree';
import { CellWalker } from './walker';

export interface PythonAnalyzerOptions extends MutationRuleExtensions {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (searched first). */
  wasmDir?: string;
  /** Syntax nodes analysed per cell at most; beyond that the rest of the cell is skipped with a warning. */
  maxNodes?: number;
  /** Parse time per cell at most, in milliseconds; a slower parse yields an error diagnostic. */
  parseTimeoutMs?: number;
}

export interface PythonAnalyzer {
  /** Facts of one cell. Never throws: broken code yields partial facts plus diagnostics. */
  analyze(code: string): CellFacts;
}

const DEFAULT_MAX_NODES = 400_000;
const DEFAULT_PARSE_TIMEOUT_MS = 5_000;
const MAX_DIAGNOSTICS = 20;

export async function createPythonAnalyzer(options: PythonAnalyzerOptions = {}): Promise<PythonAnalyzer> {
  const parser = await createPythonParser(options.wasmDir);
  const rules = compileMutationRules(options);
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const timeoutMs = options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const fastCursor = runtimeCursorExports();

  const analyze = (rawCode: string): CellFacts => {
    const facts = emptyFacts('python');
    // Python treats \r\n and \r as line breaks too; one kind keeps rows and offsets consistent.
    const code = rawCode.includes('\r') ? rawCode.replace(/\r\n?/g, '\n') : rawCode;
    let tree: Tree | null = null;
    try {
      const cell = transformIPython(code);
      tree = parseWithDeadline(parser, cell.code, timeoutMs);
      if (!tree) {
        facts.diagnostics.push({ severity: 'error', message: `cell not analysed: parsing took longer than ${timeoutMs} ms`, line: 1, column: 0 });
        return facts;
      }
      const copied = copyTree(tree, cell.code, maxNodes, fastCursor);
      const walker = new CellWalker(
        { source: cell.code, originalLines: code.split('\n'), rules, magics: cell.magics, columnShift: cell.columnShift },
        facts,
      );
      walker.walkModule(copied.root);
      if (tree.rootNode.hasError) facts.diagnostics.push(...syntaxDiagnostics(copied.root, cell.code, cell.columnShift));
      if (copied.truncated) {
        const lastLine = copied.root.children.at(-1)?.endRow ?? 0;
        facts.diagnostics.push({
          severity: 'warning',
          message: `cell too large: analysed the first ${lastLine + 1} lines only (limit ${maxNodes} syntax nodes)`,
          line: lastLine + 1,
          column: 0,
        });
      }
      return facts;
    } catch (error) {
      facts.diagnostics.push({ severity: 'error', message: `internal analysis error: ${String(error)}`, line: 1, column: 0 });
      return facts;
    } finally {
      tree?.delete();
    }
  };
  return { analyze };
}

function parseWithDeadline(parser: Parser, code: string, timeoutMs: number): Tree | null {
  const deadline = Date.now() + timeoutMs;
  return parser.parse(code, null, { progressCallback: () => Date.now() > deadline });
}

function describeError(node: PyNode, source: string): string {
  if (node.missing) return `syntax error: missing "${node.type}"`;
  const text = source.slice(node.startIndex, node.endIndex).trim().split('\n')[0].slice(0, 30);
  return text ? `syntax error near "${text}"` : 'syntax error';
}

/** One diagnostic per outermost ERROR node and per MISSING token. */
export function syntaxDiagnostics(root: PyNode, source: string, columnShift: Map<number, number>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length < MAX_DIAGNOSTICS) {
    const node = stack.pop() as PyNode;
    if (node.type === 'ERROR' || node.missing) {
      out.push({
        severity: 'error',
        message: describeError(node, source),
        line: node.startRow + 1,
        column: node.startCol + (columnShift.get(node.startRow) ?? 0),
      });
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i]);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
