/** `createPythonAnalyzer`: CellFacts for Python cells (IPython syntax included) via tree-sitter-python. */
import type { Parser, Tree } from 'web-tree-sitter';
import { emptyFacts, type CellFacts, type Diagnostic } from '../facts';
import { compileMutationRules, type MutationRuleExtensions } from '../mutation-rules';
import { continuationLines, transformIPython } from './ipython';
import { createPythonParser, runtimeCursorExports } from './parser';
import { copyTree, type PyNode } from './syntax-tree';
import { CellWalker } from './walker';

export interface PythonAnalyzerOptions extends MutationRuleExtensions {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (searched first). */
  wasmDir?: string;
  /** Syntax nodes analysed per cell at most; beyond that the rest of the cell is skipped with a warning. */
  maxNodes?: number;
  /**
   * Parser work per cell at most, in tree-sitter's progress steps (one per ~100 parse operations,
   * a count that depends on the code alone). A cell needing more is analysed up to the last
   * top-level statement the parser had reached, with a warning.
   */
  maxParseSteps?: number;
}

export interface PythonAnalyzer {
  /** Facts of one cell. Never throws: broken code yields partial facts plus diagnostics. */
  analyze(code: string): CellFacts;
}

export const DEFAULT_MAX_NODES = 400_000;
/** About 1 MB of dense code, a few tenths of a second of parsing (`npm run bench` prints it for 1 and 10 MB cells). */
export const DEFAULT_MAX_PARSE_STEPS = 10_000;
const MAX_DIAGNOSTICS = 20;

export async function createPythonAnalyzer(options: PythonAnalyzerOptions = {}): Promise<PythonAnalyzer> {
  const parser = await createPythonParser(options.wasmDir);
  const rules = compileMutationRules(options);
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const maxParseSteps = options.maxParseSteps ?? DEFAULT_MAX_PARSE_STEPS;
  const fastCursor = runtimeCursorExports();

  const analyze = (rawCode: string): CellFacts => {
    const facts = emptyFacts('python');
    // Python treats \r\n and \r as line breaks too; one kind keeps rows and offsets consistent.
    const code = rawCode.includes('\r') ? rawCode.replace(/\r\n?/g, '\n') : rawCode;
    const originalLines = code.split('\n');
    const tooLarge = (analysedLines: number, limit: string) => {
      facts.partial = { analysedLines, totalLines: originalLines.length, limit };
      facts.diagnostics.push(
        analysedLines === 0
          ? { severity: 'error', message: `cell too large to analyse (limit ${limit}); split it into smaller cells`, line: 1, column: 0 }
          : { severity: 'warning', message: `cell too large: analysed the first ${analysedLines} lines only (limit ${limit})`, line: analysedLines, column: 0 },
      );
    };
    let tree: Tree | null = null;
    try {
      const cell = transformIPython(code);
      const parsed = parseWithinBudget(parser, cell.code, maxParseSteps);
      tree = parsed.tree;
      if (!tree) {
        tooLarge(0, `${maxParseSteps} parser steps`);
        return facts;
      }
      const copied = copyTree(tree, parsed.source, maxNodes, fastCursor);
      const walker = new CellWalker({ source: parsed.source, originalLines, rules, magics: cell.magics, columnShift: cell.columnShift }, facts);
      walker.walkModule(copied.root);
      if (tree.rootNode.hasError) facts.diagnostics.push(...syntaxDiagnostics(copied.root, parsed.source, cell.columnShift));
      if (copied.truncated) {
        const last = copied.root.children.at(-1);
        tooLarge(last ? last.endRow + 1 : 0, `${maxNodes} syntax nodes`);
      } else if (parsed.source.length < cell.code.length) {
        tooLarge(lineCount(parsed.source), `${maxParseSteps} parser steps`);
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

/** What was parsed: the whole code, or its first top-level statements when the whole needs too many steps. */
interface BudgetedParse {
  tree: Tree | null;
  source: string;
}

/**
 * Parses within `maxSteps` progress steps. Over budget, parses again only the code up to the last
 * top-level statement that starts before where the parser had got to after 3/4 of the budget
 * (then 1/2, 1/4), so that the shorter parse fits the same budget.
 */
function parseWithinBudget(parser: Parser, code: string, maxSteps: number): BudgetedParse {
  const first = parseSteps(parser, code, maxSteps);
  if (first.tree) return { tree: first.tree, source: code };
  let previousCut = code.length;
  for (const share of [3 / 4, 1 / 2, 1 / 4]) {
    const cut = statementStartBefore(code, first.reached[Math.floor(maxSteps * share)] ?? 0);
    if (cut === 0) break;
    if (cut >= previousCut) continue;
    previousCut = cut;
    const source = code.slice(0, cut);
    const tree = parseSteps(parser, source, maxSteps).tree;
    if (tree) return { tree, source };
  }
  return { tree: null, source: '' };
}

/** The tree, or null when over budget; `reached[k]`: the code offset the parser had got to at step k. */
function parseSteps(parser: Parser, code: string, maxSteps: number): { tree: Tree | null; reached: number[] } {
  const reached: number[] = [0];
  const tree = parser.parse(code, null, {
    progressCallback: (state) => {
      // web-tree-sitter parses UTF-16: two bytes per code unit.
      reached.push(Math.floor(state.currentOffset / 2));
      return reached.length > maxSteps + 1;
    },
  });
  // A cancelled parse would otherwise resume where it stopped on the next call.
  if (!tree) parser.reset();
  return { tree, reached };
}

/** Offset of the last line before `offset` that starts a top-level statement (0 when none does). */
export function statementStartBefore(code: string, offset: number): number {
  const lines = code.slice(0, offset).split('\n');
  const continued = continuationLines(lines);
  let start = Math.min(offset, code.length) + 1;
  for (let i = lines.length - 1; i >= 1; i -= 1) {
    start -= lines[i].length + 1;
    if (!continued[i] && /^[^\s#)\]}]/.test(lines[i]) && !lines[i - 1].startsWith('@')) return start;
  }
  return 0;
}

function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
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
