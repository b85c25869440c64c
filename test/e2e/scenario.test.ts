// End to end, the user's scenario of issue 8 in a real VS Code (code-server 4.100.3 in Debian's
// Chromium) with the packaged .vsix: open a notebook, pick "nbprov: Python", Run All, edit a cell
// and re-run it out of order (stale CodeLens and cell status, cleared by re-runs), hover a variable
// for its recorded value, tag a variable by right-click and a cell stage from the cell toolbar, save
// and read the tags from disk, save two trials (one by "Run Notebook as Trial…" with another
// parameter value) and check from the CLI that the store holds both and the recorded history.
//
// The tests run in order on one editor. A part is skipped, with the reason, only while the
// extension's sources do not yet register the feature it drives (they are built in parallel).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { KERNEL_TIMEOUT_MS, poll } from './editor';
import { type EditorRun, startEditor } from './launch';
import { storyParts } from './parts';
import { ROOT } from './vsix';

const NOTEBOOK = 'experiment.ipynb';
/** Code cells of the fixture (the notebook's cell 0 is markdown): parameters, features, evaluation. */
const PARAMS = 0;
const FEATURES = 1;
const EVALUATE = 2;

function extensionSources(dir = path.join(ROOT, 'src', 'extension')): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) text += extensionSources(full);
    else if (name.endsWith('.ts') && name !== 'commands.ts') text += readFileSync(full, 'utf8');
  }
  return text;
}
const sources = extensionSources();
const registersCommand = (key: keyof typeof COMMANDS) =>
  new RegExp(`registerCommand\\(\\s*(COMMANDS\\.${key}\\.id|'${COMMANDS[key].id.replace('.', '\\.')}')`).test(sources);
const missing = (what: string, present: boolean): string | false => (present ? false : `not built yet: the extension does not register ${what} (src/extension)`);

const gates = {
  controller: missing('the nbprov-python notebook controller', /createNotebookController\s*\(/.test(sources)),
  stale: missing('a CodeLens provider and a cell status bar item provider', /registerCodeLensProvider\s*\(/.test(sources) && /registerNotebookCellStatusBarItemProvider\s*\(/.test(sources)),
  statusBar: missing('a status bar item that opens the log', /createStatusBarItem\s*\(/.test(sources) && registersCommand('showLog')),
  hover: missing('a hover provider', /registerHoverProvider\s*\(/.test(sources)),
  tags: missing('the Tag Variable… and Tag Cell Stage… commands', registersCommand('tagVariable') && registersCommand('tagCellStage')),
  trials: missing('the Save Trial… and Run Notebook as Trial… commands', registersCommand('saveTrial') && registersCommand('runAsTrial')),
};
const gate = (...needs: Array<keyof typeof gates>): string | false => needs.map((n) => gates[n]).find((g) => g !== false) ?? false;

let run: EditorRun;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nbprov.js'), ...args], { cwd: run.workspace, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface TrialsDocument {
  trials: Array<{ id: string; name: string; notebook: string; tagged: Record<string, { role?: string; value?: unknown; repr?: string }> }>;
}
interface NotebookFile {
  metadata: { nbprov?: { variables?: Record<string, string> } };
  cells: Array<{ cell_type: string; source: string | string[]; metadata: { tags?: string[] } }>;
}

describe('the user scenario of issue 8 in a real VS Code', { skip: gate('controller') }, () => {
  before(async () => {
    run = await startEditor({ name: 'scenario', fixtures: [NOTEBOOK] });
  }, { timeout: 900_000 });
  after(async () => {
    await run?.stop();
  });

  const part = storyParts();

  part('Run All in "nbprov: Python" runs every cell in a real kernel', false, async () => {
    const { editor } = run;
    await editor.step('open notebook', () => editor.openNotebook(NOTEBOOK));
    await editor.step('select nbprov python kernel', () => editor.selectKernel('nbprov: Python'));
    await editor.step('run all', async () => {
      await editor.runAll();
      await editor.waitForOutputText('score=4.75');
    });
    const counts = [await editor.executionCount(PARAMS), await editor.executionCount(FEATURES), await editor.executionCount(EVALUATE)];
    assert.deepEqual(counts, [1, 2, 3], 'cells ran in order in a fresh kernel');
  });

  part('the status bar counts the executions recorded in this session', gate('statusBar'), async () => {
    const { editor } = run;
    const item = await poll('an nbprov status bar item with a count', async () => (await editor.statusBarItems()).find((t) => /nbprov/i.test(t) && /\b3\b/.test(t)));
    assert.match(item, /\b3\b/, 'three cells ran and were recorded');
  });

  part('an edited cell re-run out of order marks what depends on it stale; re-running clears it', gate('stale'), async () => {
    const { editor } = run;
    const stale = (texts: string[]) => texts.some((t) => /stale/i.test(t));
    await editor.step('edit parameters cell', () => editor.setCellSource(PARAMS, 'alpha = 2.0\nn = 20'));
    await editor.step('re-run parameters cell', async () => {
      await editor.runCell(PARAMS);
      await editor.waitForExecutionCount(PARAMS, (c) => c === 4, '[4]');
    });
    const staleLens = await poll('a stale CodeLens on the features cell', async () => {
      const lenses = await editor.codeLenses(FEATURES);
      return stale(lenses) ? lenses : undefined;
    });
    const staleStatus = await poll('a stale cell status item on the features cell', async () => {
      const items = await editor.cellStatusItems(FEATURES);
      return stale(items) ? items : undefined;
    });
    await editor.step('features cell shown stale', async () => editor.cell(FEATURES).scrollIntoViewIfNeeded());
    assert.ok(stale(staleLens) && stale(staleStatus));

    await editor.step('re-run features cell', async () => {
      await editor.runCell(FEATURES);
      await editor.waitForExecutionCount(FEATURES, (c) => c === 5, '[5]');
    });
    await poll('the features cell to be no longer stale', async () => !stale(await editor.codeLenses(FEATURES)) && !stale(await editor.cellStatusItems(FEATURES)));
    await poll('the evaluation cell, which read the old data, to be stale', async () => stale(await editor.codeLenses(EVALUATE)) && stale(await editor.cellStatusItems(EVALUATE)));
    await editor.step('re-run evaluation cell', async () => {
      await editor.runCell(EVALUATE);
      await editor.waitForExecutionCount(EVALUATE, (c) => c === 6, '[6]');
      await editor.waitForOutputText('score=19.0');
    });
    await poll('the evaluation cell to be no longer stale', async () => !stale(await editor.codeLenses(EVALUATE)) && !stale(await editor.cellStatusItems(EVALUATE)));
    const lenses = await editor.codeLenses(EVALUATE);
    assert.ok(lenses.some((l) => /6/.test(l)), `the evaluation cell's CodeLens shows its execution count [6]: ${lenses.join(' | ')}`);
  });

  part('hovering a variable shows its recorded value', gate('hover'), async () => {
    const { editor } = run;
    const text = await editor.step('hover score', () => editor.hover(EVALUATE, 'score', (t) => t.includes('19.0')));
    assert.match(text, /score/);
    assert.match(text, /19\.0/, `the hover shows the value recorded by the last run: ${text}`);
  });

  part('a variable tagged by right-click and a cell stage tagged from the cell toolbar are saved into the notebook', gate('tags'), async () => {
    const { editor } = run;
    const roles = await editor.step('tag variable menu', async () => {
      await editor.contextMenu(EVALUATE, 'score', COMMANDS.tagVariable.title);
      return editor.quickPickLabels(/score/);
    });
    assert.match(roles[0], /^metric/, `the suggested role comes first: ${roles.join(', ')}`);
    for (const role of ['param', 'metric', 'model', 'dataset', 'target']) assert.ok(roles.some((r) => r.includes(role)), `role ${role} offered: ${roles.join(', ')}`);
    await editor.step('pick metric', () => editor.pick(/^metric/));

    const stages = await editor.step('tag cell stage from toolbar', async () => {
      await editor.cellToolbarAction(FEATURES, COMMANDS.tagCellStage.title);
      return editor.quickPickLabels(/stage/i);
    });
    for (const stage of ['data reading', 'feature engineering', 'model scoring', 'evaluation']) {
      assert.ok(stages.some((s) => s.toLowerCase().replace(/[-_]/g, ' ').includes(stage)), `stage ${stage} offered: ${stages.join(', ')}`);
    }
    await editor.step('pick feature engineering', () => editor.pick(/^feature[- _]engineering$/i));
    await poll('the notebook to be marked modified', async () => (await editor.page.locator('.tabs-container .tab.active.dirty').count()) > 0);

    const file = path.join(run.workspace, NOTEBOOK);
    const saved = await editor.step('save', async () => {
      await editor.save();
      return poll('the tags to reach the file on disk', async () => {
        const notebook = JSON.parse(readFileSync(file, 'utf8')) as NotebookFile;
        return notebook.metadata.nbprov?.variables?.score === 'metric' ? notebook : undefined;
      });
    });
    const codeCells = saved.cells.filter((c) => c.cell_type === 'code');
    assert.ok(codeCells[FEATURES].metadata.tags?.some((t) => /^stage:feature[- _]engineering$/i.test(t)), `stage tag on the features cell: ${JSON.stringify(codeCells[FEATURES].metadata)}`);
    assert.deepEqual(codeCells[PARAMS].metadata.tags, ['parameters'], 'the parameters tag is kept');
    const source = (c: NotebookFile['cells'][number]) => (Array.isArray(c.source) ? c.source.join('') : c.source);
    assert.equal(source(codeCells[PARAMS]), 'alpha = 2.0\nn = 20', 'the edit was saved with the tags');
    // The CLI reads the same tags.
    const tags = cli(['tag', NOTEBOOK]);
    assert.equal(tags.code, 0, tags.stderr);
    assert.match(tags.stdout, /score/);
  });

  part('Save Trial… and Run Notebook as Trial… store two trials the CLI lists, with the recorded history', gate('trials'), async () => {
    const { editor } = run;
    const trialsDoc = () => {
      const result = cli(['trials', '--json']);
      return result.code === 0 ? (JSON.parse(result.stdout) as TrialsDocument) : undefined;
    };
    const nameQuestion = await editor.step('save trial asks a name', async () => {
      await editor.runCommand(COMMANDS.saveTrial.title);
      return editor.inputBoxQuestion();
    });
    assert.match(nameQuestion, /name/i);
    const toast = await editor.step('save trial', async () => {
      await editor.answerAndMoveOn('baseline');
      return poll('a notification that the trial was saved', async () => (await editor.notifications()).find((n) => /baseline/.test(n)));
    });
    assert.match(toast, /19\.0/, `the notification names the trial's tagged value: ${toast}`);
    await poll('the CLI to list the trial "baseline"', async () => trialsDoc()?.trials.some((t) => t.name === 'baseline'));

    await editor.step('run as trial', () => editor.runCommand(COMMANDS.runAsTrial.title));
    // Answer what it asks: alpha gets another value, a trial name if asked, defaults for the rest.
    const asked: string[] = [];
    for (let i = 0; i < 12; i++) {
      const open = await poll('the next question of Run Notebook as Trial…', async () => editor.quickInputOpen(), 20_000).catch(() => false);
      if (!open) break;
      const question = await editor.inputBoxQuestion();
      const preset = await editor.inputBoxValue();
      asked.push(`${question} [default ${preset}]`);
      if (/\balpha\b/.test(question)) {
        await editor.step('run as trial asks alpha', async () => undefined);
        await editor.answerAndMoveOn('3.0');
      } else if (/name/i.test(question)) {
        await editor.step('run as trial asks a name', async () => undefined);
        await editor.answerAndMoveOn('alpha-3');
      } else {
        await editor.answerAndMoveOn(preset);
      }
    }
    assert.ok(asked.some((q) => /\balpha\b/.test(q) && /0\.5|2\.0/.test(q)), `a parameter input box for alpha showed its default: ${asked.join(' / ')}`);
    await editor.step('run as trial finished', async () => {
      await editor.waitForOutputText('score=28.5', KERNEL_TIMEOUT_MS);
    });
    const doc = await poll('the CLI to list a second trial', async () => {
      const d = trialsDoc();
      return d && d.trials.length >= 2 ? d : undefined;
    }, KERNEL_TIMEOUT_MS);
    const baseline = doc.trials.find((t) => t.name === 'baseline');
    const second = doc.trials.find((t) => t.name !== 'baseline');
    assert.ok(baseline && second, JSON.stringify(doc));
    assert.equal(Number(baseline.tagged.score?.value), 19, `baseline score: ${JSON.stringify(baseline.tagged)}`);
    assert.equal(Number(second.tagged.score?.value), 28.5, `second trial score: ${JSON.stringify(second.tagged)}`);
    assert.ok(doc.trials.every((t) => t.notebook.endsWith(NOTEBOOK)));

    const lineage = cli(['lineage', NOTEBOOK, 'score', '--json']);
    assert.equal(lineage.code, 0, lineage.stderr);
    const slice = JSON.parse(lineage.stdout) as { history: string; executions: Array<{ executionCount: number | null; code: string }> };
    assert.equal(slice.history, 'recorded', 'the CLI follows the history recorded in the editor');
    assert.ok(slice.executions.some((e) => e.code.includes('score = total / n')), JSON.stringify(slice.executions));
  });
});
