/**
 * What the Tags view shows for one notebook (no vscode): its tagged variables with the cell that
 * defines each, its cell stages, and tag suggestions kept apart. Tested in plain Node.
 */
import type { CellAnalyzer } from '../../core/analysis';
import { lastDefinition, type LineageGraph } from '../../core/lineage';
import type { NotebookView } from '../../core/notebook/view';
import { suggestTags, type SuggestionCell } from '../../core/trials';

export interface TaggedVariableItem {
  kind: 'variable';
  name: string;
  role: string;
  /** The cell that last defined it (recorded history first, else the notebook's code); null when none does. */
  cellIndex: number | null;
}

export interface StageItem {
  kind: 'stage';
  stage: string;
  cellIndex: number;
  cellId: string;
}

export interface SuggestionItem {
  kind: 'suggestion';
  name: string;
  role: string;
  cellIndex: number;
  reason: string;
}

export interface TagsData {
  variables: TaggedVariableItem[];
  stages: StageItem[];
  suggestions: SuggestionItem[];
}

const STAGE = 'stage:';

export function tagsData(view: NotebookView, analyzer: CellAnalyzer, graph: LineageGraph | null): TagsData {
  const tags = view.variableTags();
  const code = view.cells.filter((c) => c.cellType === 'code' && c.language !== null);
  const facts = new Map(code.map((c) => [c.index, analyzer.analyze(c.source, c.language!)]));
  const staticDefinition = (name: string): number | null => {
    let found: number | null = null;
    for (const c of code) if (facts.get(c.index)!.defines.includes(name)) found = c.index;
    return found;
  };
  const indexById = new Map(view.cells.map((c) => [c.id, c.index]));
  const variables: TaggedVariableItem[] = Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, role]) => {
      const recorded = graph ? lastDefinition(graph, name) : null;
      const current = recorded ? (indexById.get(recorded.cellId) ?? null) : null;
      return { kind: 'variable', name, role, cellIndex: current ?? staticDefinition(name) };
    });
  const stages: StageItem[] = [];
  for (const c of view.cells) for (const t of c.tags) if (t.startsWith(STAGE)) stages.push({ kind: 'stage', stage: t.slice(STAGE.length), cellIndex: c.index, cellId: c.id });
  const cells: SuggestionCell[] = code.map((c) => ({ index: c.index, tags: [...c.tags], facts: facts.get(c.index)! }));
  const suggestions: SuggestionItem[] = suggestTags(cells, tags).map((s) => ({ kind: 'suggestion', name: s.name, role: s.role, cellIndex: s.cellIndex, reason: s.reason }));
  return { variables, stages, suggestions };
}
