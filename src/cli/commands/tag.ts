import { createAnalyzer, type CellAnalyzer } from '../../core/analysis';
import { UsageError } from '../../core/errors';
import { acceptSuggestions, cellStages, tagCellStage, tagVariable, untagCellStage, untagVariable, withEdits } from '../../core/notebook/tags';
import type { NotebookEdit, NotebookView } from '../../core/notebook/view';
import { namesToCheck } from '../../core/notebook/definedNames';
import { suggestTags, type TagSuggestion } from '../../core/trials';
import type { TagDocument } from '../../shared/cli';
import { parseCommandArgs, parseNonNegativeInt, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { readNotebookArg, saveNotebookEdits } from '../files';

const help = `
usage: nbprov tag NOTEBOOK VARIABLE ROLE [--force] tag a variable (param, metric, model, dataset, target or free text)
       nbprov tag NOTEBOOK VARIABLE --remove
       nbprov tag NOTEBOOK --cell K STAGE [--force] tag code cell K with a stage (data-reading, feature-engineering, …)
       nbprov tag NOTEBOOK --cell K --remove
       nbprov tag NOTEBOOK                        list tags, and suggestions when there are none
       nbprov tag NOTEBOOK --accept-suggested     apply the suggestions

Tags are checked before they are saved: a variable no cell of the notebook defines, a role or
stage one or two letters from a known one (metrc, evalution) and a stage on a markdown cell are
refused with the closest valid choices. --force tags a name made at run time (globals(), exec) or
keeps an unusual role or stage as written; a role far from every known one (loss, seed) needs no
--force.

Tags are saved in the notebook itself (metadata.nbprov.variables and stage:<name> cell tags), so
they travel with it and work in JupyterLab too. Only the tag values change in the file: every
other byte, the file's mode, its symlinks and hard links are kept.
`;

function suggestionsFor(notebook: NotebookView, analyzer: CellAnalyzer): TagSuggestion[] {
  const cells = notebook.cells
    .filter((c) => c.cellType === 'code' && c.language)
    .map((c) => ({ index: c.index, tags: [...c.tags], facts: analyzer.analyze(c.source, c.language!) }));
  return suggestTags(cells, notebook.variableTags());
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
      force: { type: 'boolean' },
    });
    const notebookPath = requirePositional('tag', positionals, 0, 'NOTEBOOK');
    const out = ctx.output(Boolean(values.json));
    const { notebook, file } = readNotebookArg(ctx.cwd, notebookPath);
    let edits: NotebookEdit[] = [];

    if (values.cell !== undefined) {
      rejectExtraPositionals('tag', positionals, values.remove ? 1 : 2);
      const byId = notebook.cells.find((c) => c.id === values.cell);
      const index = byId ? byId.index : parseNonNegativeInt('--cell', values.cell);
      edits = values.remove
        ? untagCellStage(notebook, index)
        : tagCellStage(notebook, index, requirePositional('tag', positionals, 1, 'STAGE (e.g. data-reading, feature-engineering, evaluation)'), { force: values.force });
    } else if (positionals.length > 1) {
      rejectExtraPositionals('tag', positionals, values.remove ? 2 : 3);
      const variable = positionals[1];
      edits = values.remove
        ? untagVariable(notebook, variable)
        : tagVariable(notebook, variable, requirePositional('tag', positionals, 2, 'ROLE (param, metric, model, dataset, target or free text)'), {
            force: values.force,
            definedNames: values.force ? undefined : namesToCheck(notebook, await createAnalyzer()),
          });
    } else if (values.remove) {
      throw new UsageError('--remove needs a VARIABLE or --cell K; see: nbprov tag --help');
    }

    // Suggestions are for notebooks nobody has tagged yet (or when asked to apply them).
    let view = withEdits(notebook, edits);
    const untagged = Object.keys(view.variableTags()).length === 0;
    const suggestions = untagged || values['accept-suggested'] ? suggestionsFor(view, await createAnalyzer()) : [];
    let applied: TagSuggestion[] = [];
    if (values['accept-suggested']) {
      const accepted = acceptSuggestions(view, suggestions);
      edits = [...edits, ...accepted];
      view = withEdits(view, accepted);
      applied = suggestions;
    }
    const changed = edits.length > 0;
    saveNotebookEdits(file, notebook, edits);

    const variables = view.variableTags();
    const stages = cellStages(view);
    const pending = values['accept-suggested'] ? [] : suggestions;
    if (out.json) {
      const document: TagDocument = { notebook: notebookPath, changed, variables, stages, suggestions: pending, applied };
      out.document(document);
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
