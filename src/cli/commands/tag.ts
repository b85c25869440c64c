import { createAnalyzer, type CellAnalyzer } from '../../core/analysis';
import { NbprovError, UsageError } from '../../core/errors';
import { serializeNotebook, type Notebook } from '../../core/notebook/ipynb';
import { cellStage, removeCellStage, removeVariableTag, setCellStage, setVariableTag, variableTags } from '../../core/notebook/tags';
import { suggestTags, type TagSuggestion } from '../../core/trials';
import { parseCommandArgs, parseNonNegativeInt, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { readNotebookArg, replaceFileAtomically } from '../files';

const help = `
usage: nbprov tag NOTEBOOK VARIABLE ROLE         tag a variable (param, metric, model, dataset, target or free text)
       nbprov tag NOTEBOOK VARIABLE --remove
       nbprov tag NOTEBOOK --cell K STAGE         tag cell K with a stage (data-reading, feature-engineering, …)
       nbprov tag NOTEBOOK --cell K --remove
       nbprov tag NOTEBOOK                        list tags, and suggestions when there are none
       nbprov tag NOTEBOOK --accept-suggested     apply the suggestions

Tags are saved in the notebook itself (metadata.nbprov.variables and stage:<name> cell tags), so
they travel with it and work in JupyterLab too.
`;

function suggestionsFor(notebook: Notebook, analyzer: CellAnalyzer): TagSuggestion[] {
  const cells = notebook.cells
    .filter((c) => c.cellType === 'code' && c.language)
    .map((c) => ({ index: c.index, tags: c.tags, facts: analyzer.analyze(c.source, c.language!) }));
  return suggestTags(cells, variableTags(notebook));
}

export const tagCommand: Command = {
  name: 'tag',
  summary: 'tag variables (param, metric, …) and cell stages in a notebook',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('tag', argv, {
      cell: { type: 'string' },
      remove: { type: 'boolean' },
      'accept-suggested': { type: 'boolean' },
    });
    const notebookPath = requirePositional('tag', positionals, 0, 'NOTEBOOK');
    const out = ctx.output(Boolean(values.json));
    const { notebook, file } = readNotebookArg(ctx.cwd, notebookPath);
    let changed = false;
    let applied: TagSuggestion[] = [];

    if (values.cell !== undefined) {
      rejectExtraPositionals('tag', positionals, values.remove ? 1 : 2);
      const byId = notebook.cells.find((c) => c.id === values.cell);
      const index = byId ? byId.index : parseNonNegativeInt('--cell', values.cell);
      if (values.remove) changed = removeCellStage(notebook, index);
      else {
        setCellStage(notebook, index, requirePositional('tag', positionals, 1, 'STAGE (e.g. data-reading, feature-engineering, evaluation)'));
        changed = true;
      }
    } else if (positionals.length > 1) {
      rejectExtraPositionals('tag', positionals, values.remove ? 2 : 3);
      const variable = positionals[1];
      if (values.remove) {
        changed = removeVariableTag(notebook, variable);
        if (!changed) throw new NbprovError(`"${variable}" is not tagged in ${notebookPath}; tagged: ${Object.keys(variableTags(notebook)).join(', ') || 'none'}`);
      } else {
        setVariableTag(notebook, variable, requirePositional('tag', positionals, 2, 'ROLE (param, metric, model, dataset, target or free text)'));
        changed = true;
      }
    } else if (values.remove) {
      throw new UsageError('--remove needs a VARIABLE or --cell K; see: nbprov tag --help');
    }

    // Suggestions are for notebooks nobody has tagged yet (or when asked to apply them).
    const untagged = Object.keys(variableTags(notebook)).length === 0;
    const suggestions = untagged || values['accept-suggested'] ? suggestionsFor(notebook, await createAnalyzer()) : [];
    if (values['accept-suggested']) {
      for (const s of suggestions) setVariableTag(notebook, s.name, s.role);
      applied = suggestions;
      changed = changed || applied.length > 0;
    }
    if (changed) replaceFileAtomically(file, serializeNotebook(notebook));

    const variables = variableTags(notebook);
    const stages = notebook.cells.filter((c) => cellStage(c.tags)).map((c) => ({ cell: c.index, stage: cellStage(c.tags)! }));
    const pending = values['accept-suggested'] ? [] : suggestions;
    if (out.json) {
      out.document({ notebook: notebookPath, changed, variables, stages, suggestions: pending, applied });
      return 0;
    }
    if (changed) out.line(`saved tags in ${notebookPath}`);
    out.line(`variables: ${Object.entries(variables).map(([n, r]) => `${n} (${r})`).join(', ') || 'none tagged'}`);
    out.line(`stages:    ${stages.map((s) => `cell ${s.cell}: ${s.stage}`).join(', ') || 'none tagged'}`);
    for (const s of applied) out.line(`  applied: ${s.name} → ${s.role}  (cell ${s.cellIndex}:${s.line}, ${s.reason})`);
    if (pending.length) {
      out.line('suggested (apply with --accept-suggested, or tag them one by one):');
      for (const s of pending) out.line(`  ${s.name} → ${s.role}  (cell ${s.cellIndex}:${s.line}, ${s.reason})`);
    }
    return 0;
  },
};
