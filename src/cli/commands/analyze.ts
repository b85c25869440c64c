import { createAnalyzer } from '../../core/analysis';
import type { CellFacts } from '../../core/analysis/facts';
import { loadNotebook } from '../../core/notebook/load';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { list } from '../output';
import type { AnalyzeDocument, AnalyzedCell } from '../../shared/cli';

const help = `
usage: nbprov analyze NOTEBOOK [--operations] [--json]

Static facts of every code cell, without running anything: names defined, used (read from
earlier cells), mutated in place, imports, functions with their free variables, literal file
paths read and written, and syntax diagnostics (broken cells give partial facts).

options:
  --operations   also list each cell's statements with what they define and use
  --json         one JSON document: {"cells":[{index,id,language,defines,uses,mutates,...}]}
Cell indices count every cell of the notebook from 0, markdown included.
`;

interface CellReport {
  index: number;
  id: string;
  language: CellFacts['language'] | null;
  executionCount: number | null;
  facts: CellFacts | null;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'static facts per cell: defines, uses, mutates, imports, files',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('analyze', argv, { operations: { type: 'boolean' } });
    const notebookPath = requirePositional('analyze', positionals, 0, 'NOTEBOOK');
    rejectExtraPositionals('analyze', positionals, 1);
    const out = ctx.output(Boolean(values.json));
    const notebook = loadNotebook(notebookPath);
    const analyzer = await createAnalyzer();
    const reports: CellReport[] = notebook.cells
      .filter((c) => c.cellType === 'code')
      .map((cell) => ({
        index: cell.index,
        id: cell.id,
        language: cell.language,
        executionCount: cell.executionCount,
        facts: cell.language ? analyzer.analyze(cell.source, cell.language) : null,
      }));
    if (out.json) {
      out.document({ notebook: notebookPath, cells: reports.map((r) => toJson(r, Boolean(values.operations))) } satisfies AnalyzeDocument);
      return 0;
    }
    out.line(`${notebookPath}: ${reports.length} code cells`);
    for (const r of reports) printCell(out.line, r, Boolean(values.operations));
    return 0;
  },
};

function toJson(r: CellReport, withOperations: boolean): AnalyzedCell {
  const f = r.facts;
  return {
    index: r.index,
    id: r.id,
    language: r.language,
    executionCount: r.executionCount,
    defines: f?.defines ?? [],
    uses: f?.uses ?? [],
    builtinUses: f?.builtinUses ?? [],
    mutates: f?.mutates ?? [],
    deletes: f?.deletes ?? [],
    imports: f?.imports ?? [],
    functions: f?.functions ?? [],
    files: f?.files ?? { reads: [], writes: [] },
    diagnostics: f ? f.diagnostics : [{ severity: 'info', message: 'language not analysed (nbprov reads Python, JavaScript and TypeScript cells)', line: 1, column: 0 }],
    ...(withOperations && f ? { operations: f.operations } : {}),
  };
}

/** `numpy (np)`, `sklearn.metrics (f1_score, roc_auc_score)`, `os`. */
function describeImport(i: CellFacts['imports'][number]): string {
  const root = i.module.split('.')[0];
  const plain = i.names.length === 1 && (i.names[0] === i.module || i.names[0] === root);
  return plain ? i.module : `${i.module} (${i.names.join(', ')})`;
}

function printCell(line: (t?: string) => void, r: CellReport, withOperations: boolean): void {
  const count = r.executionCount === null ? '' : ` [${r.executionCount}]`;
  line();
  line(`cell ${r.index}${count}  (${r.id}, ${r.language ?? 'not analysed'})`);
  const f = r.facts;
  if (!f) return;
  line(`  defines:  ${list(f.defines)}`);
  line(`  uses:     ${list(f.uses)}`);
  if (f.mutates.length) line(`  mutates:  ${list(f.mutates)}`);
  if (f.deletes.length) line(`  deletes:  ${list(f.deletes)}`);
  if (f.imports.length) line(`  imports:  ${list(f.imports.map(describeImport))}`);
  for (const fn of f.functions) {
    line(`  ${fn.kind} ${fn.name}(${fn.params.join(', ')})  free: ${list(fn.freeVariables)}${fn.mutatedParams.length ? `  mutates params: ${list(fn.mutatedParams)}` : ''}`);
  }
  for (const r2 of f.files.reads) line(`  reads:    ${r2.path}  (${r2.via}, line ${r2.line})`);
  for (const w of f.files.writes) line(`  writes:   ${w.path}  (${w.via}, line ${w.line})`);
  for (const d of f.diagnostics) line(`  ${d.severity}: line ${d.line}:${d.column} ${d.message}`);
  if (withOperations) {
    for (const op of f.operations) {
      line(`    ${String(op.span.startLine).padStart(3)}  ${op.kind.padEnd(10)} defines ${list(op.defines)}; uses ${list(op.uses)}${op.mutates.length ? `; mutates ${list(op.mutates)}` : ''}`);
    }
  }
}
