// End to end, the Provenance side panel and the webview panels of issue 9 in a real VS Code
// (code-server 4.100.3 in Debian's Chromium) with the packaged .vsix. Two trials are recorded by the
// real CLI (`nbprov run` in a real kernel, with alpha 0.5 and 2.0, so the tagged metric `score`
// differs) before the extension is activated; then, as a user: open the Provenance view and see
// both trials, compare them in the diff panel, chart the metric across trials, open the notebook
// and the metric's lineage graph and click a node to reveal its cell, rename one trial and delete
// the other from the tree's context menu, and check that the CLI agrees.
//
// The tests run in order on one editor; after a failure the later ones stop instead of failing for it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { poll } from './editor';
import { type EditorRun, startEditor } from './launch';
import { PanelsUi } from './panelsUi';
import { storyParts } from './parts';
import { ROOT } from './vsix';

const NOTEBOOK = 'experiment.ipynb';
/** Code cells of the fixture (the notebook's cell 0 is markdown): parameters, features, evaluation. */
const EVALUATE = 2;
/** The same cells as VS Code's status bar counts them ("Cell N of 4", from 1, markdown included). */
const FEATURES_CELL = 3;
const EVALUATE_CELL = 4;

let run: EditorRun;
let ui: PanelsUi;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nbprov.js'), ...args], { cwd: run.workspace, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
function cliOk(args: string[]): string {
  const result = cli(args);
  assert.equal(result.code, 0, `nbprov ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

interface TrialsDocument {
  trials: Array<{ id: string; name: string | null; notebook: string; tagged: Record<string, { value?: unknown }> }>;
}
const trialsDoc = (): TrialsDocument => JSON.parse(cliOk(['trials', '--json', '--workspace', run.workspace])) as TrialsDocument;

describe('the Provenance view and panels of issue 9 in a real VS Code', () => {
  before(async () => {
    run = await startEditor({ name: 'panels', fixtures: [NOTEBOOK] });
    ui = new PanelsUi(run.editor);
    // The harness starts code-server on a fresh workspace, so the trials are recorded right after,
    // while the extension is still inactive (it activates lazily: on a notebook or on its view).
    assert.ok(!existsSync(path.join(run.workspace, '.nbprov')), 'the workspace starts without a store');
    cliOk(['tag', NOTEBOOK, 'score', 'metric']);
    cliOk(['run', NOTEBOOK, '--param', 'alpha=0.5', '--trial', 'low']);
    cliOk(['run', NOTEBOOK, '--param', 'alpha=2.0', '--trial', 'high']);
    const scores = Object.fromEntries(trialsDoc().trials.map((t) => [t.name, Number(t.tagged.score?.value)]));
    assert.deepEqual(scores, { low: 4.75, high: 19 }, 'the CLI recorded two trials with different scores');
  }, { timeout: 900_000 });
  after(async () => {
    await run?.stop();
  });

  const part = storyParts();

  part('the Provenance view lists both trials of the notebook', false, async () => {
    const { editor } = run;
    const rows = await editor.step('provenance view with two trials', async () => {
      await ui.openProvenance();
      return poll('the Trials tree to list the notebook and both trials', async () => {
        const labels = await ui.trialsRows();
        return labels.includes(NOTEBOOK) && labels.includes('low') && labels.includes('high') ? labels : undefined;
      });
    });
    assert.ok(rows.indexOf('high') < rows.indexOf('low'), `newest trial first: ${rows.join(', ')}`);
    const notebookRow = (await ui.trialRow(NOTEBOOK).innerText()).replace(/\s+/g, ' ');
    assert.match(notebookRow, /2 trials/, notebookRow);
  });

  part('Compare Trials… shows the changed parameter and metric in the diff panel', false, async () => {
    const { editor } = run;
    await editor.step('compare trials pick a', async () => {
      await editor.runCommand(COMMANDS.compareTrials.title);
      const offered = await ui.pickFrom(/first trial/i, 'low');
      assert.ok(offered.includes('low') && offered.includes('high'), `both trials offered: ${offered.join(', ')}`);
    });
    const rows = await editor.step('trial diff panel', async () => {
      await ui.pickFrom(/compare with/i, 'high');
      const frame = await ui.webviewWith('tbody th[scope=row]');
      return poll('the diff to list alpha and score', async () => {
        const texts = (await frame.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
        return texts.some((t) => /^alpha\b/.test(t)) && texts.some((t) => /^score\b/.test(t)) ? texts : undefined;
      });
    });
    const alpha = rows.find((t) => /^alpha\b/.test(t)) ?? '';
    const score = rows.find((t) => /^score\b/.test(t)) ?? '';
    assert.match(alpha, /0\.5.*2(\.0)?\b/, `alpha changed from 0.5 (A) to 2.0 (B): ${alpha}`);
    assert.match(score, /4\.75.*19\b/, `score changed from 4.75 (A) to 19.0 (B): ${score}`);
    assert.match(score, /14\.25/, `the metric's difference B − A is shown: ${score}`);

    // "Only differences" keeps the changed rows.
    const frame = await ui.webviewWith('button[aria-pressed]');
    const toggle = frame.locator('button[aria-pressed]').first();
    const before = await toggle.getAttribute('aria-pressed');
    await editor.step('only differences toggled', async () => {
      await toggle.click();
      await poll('the "Only differences" button to toggle', async () => (await toggle.getAttribute('aria-pressed')) !== before);
    });
    const after = (await frame.locator('tbody th[scope=row]').allInnerTexts()).map((t) => t.trim());
    assert.ok(after.some((t) => t.startsWith('alpha')) && after.some((t) => t.startsWith('score')), `changed rows stay: ${after.join(', ')}`);
  });

  part('Show Variable Across Trials… charts the metric with one point per trial', false, async () => {
    const { editor } = run;
    const offered = await editor.step('across trials pick variable', async () => {
      await editor.runCommand(COMMANDS.showAcrossTrials.title);
      return ui.pickFrom(/across trials/i, 'score');
    });
    assert.ok(offered.includes('score'), offered.join(', '));
    const points = await editor.step('across trials chart', async () => {
      const frame = await ui.webviewWith('svg.chart circle.point[data-index]');
      return poll('two points on the chart', async () => {
        const n = await frame.locator('svg.chart circle.point[data-index]').count();
        return n === 2 ? n : undefined;
      });
    });
    assert.equal(points, 2);
  });

  part('the lineage graph of the metric reveals a clicked node\'s cell', false, async () => {
    const { editor } = run;
    await editor.step('open notebook', async () => {
      await ui.openExplorer();
      await editor.openNotebook(NOTEBOOK);
    });
    await editor.step('cursor on score', async () => {
      await editor.word(EVALUATE, 'score').click();
      await poll('the evaluation cell to be the selected one', async () => (await ui.selectedCell()) === EVALUATE_CELL);
    });
    const frame = await editor.step('lineage graph', async () => {
      await editor.runCommand(COMMANDS.showLineage.title);
      return ui.webviewWith('g.node');
    });
    const labels = (await frame.locator('g.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''))).map((l) => l.replace(/\s+/g, ' '));
    assert.ok(labels.length >= 2, `the graph has the metric's cell and what it depends on: ${labels.join(' / ')}`);
    const title = await frame.locator('.toolbar .title').first().innerText();
    assert.match(title, /Lineage of score/, title);
    assert.equal(await frame.locator('g.node.target').count() > 0, true, 'the node explaining score is marked as the target');
    assert.equal(await frame.locator('g.node.stale').count(), 0, 'nothing is stale after a clean run');

    const features = frame.locator('g.node[aria-label*="data = [i * alpha"]').first();
    await features.waitFor({ state: 'visible', timeout: 90_000 });
    await editor.step('click features node reveals its cell', async () => {
      await features.click();
      await poll('the features cell to be selected in the notebook', async () => (await ui.selectedCell()) === FEATURES_CELL);
    });
    assert.equal(await ui.selectedCell(), FEATURES_CELL);
    assert.equal(await ui.visibleNotebookEditors(), 1, 'the cell is revealed in the notebook already open, not in a second editor');
  });

  part('renaming and deleting trials from the tree\'s context menu reach the store the CLI reads', false, async () => {
    const { editor } = run;
    await editor.step('provenance view again', () => ui.openProvenance());
    const question = await editor.step('rename asks a name', async () => {
      await ui.trialContextMenu('low', /Rename Trial/);
      return editor.inputBoxQuestion();
    });
    assert.match(question, /name/i, question);
    assert.equal(await editor.inputBoxValue(), 'low', 'the input box starts from the current name');
    await editor.step('renamed', async () => {
      await editor.answerAndMoveOn('baseline');
      await poll('the tree to show the new name', async () => {
        const labels = await ui.trialsRows();
        return labels.includes('baseline') && !labels.includes('low');
      });
    });

    const message = await editor.step('delete asks to confirm', async () => {
      await ui.trialContextMenu('high', /Delete Trial/);
      return ui.dialogMessage();
    });
    assert.match(message, /Delete trial "high"/, message);
    await editor.step('deleted', async () => {
      await ui.dialogButton('Delete');
      await poll('the tree to drop the deleted trial', async () => {
        const labels = await ui.trialsRows();
        return labels.includes('baseline') && !labels.includes('high');
      });
    });

    // The diff panel still open on the deleted trial says so, with the new name of the other one.
    const diff = await ui.webviewWith('tbody th[scope=row]');
    const diffText = await poll('the open diff panel to tell the trial was deleted', async () => {
      const text = (await diff.locator('body').innerText()).replace(/\s+/g, ' ');
      return /was deleted/.test(text) ? text : undefined;
    });
    assert.match(diffText, /\bbaseline\b/, 'the diff panel shows the renamed trial under its new name');

    const doc = await poll('the CLI to see the rename and the deletion', async () => {
      const d = trialsDoc();
      return d.trials.length === 1 && d.trials[0].name === 'baseline' ? d : undefined;
    });
    assert.equal(Number(doc.trials[0].tagged.score?.value), 4.75, 'the renamed trial keeps its recorded metric');
    assert.equal(doc.trials[0].notebook, NOTEBOOK);
  });
});
