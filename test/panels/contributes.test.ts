/**
 * package.json's side-panel contributions hold together: the view container and views keep the
 * contract ids, every command a menu, welcome text or walkthrough names exists, and the files they
 * point at are there.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { PANEL_VIEW_TYPES } from '../../src/shared/protocol';

const ROOT = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const contributes = pkg.contributes;
const commandIds = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));

/** `command:x.y` links in markdown-ish text (welcome content, walkthrough steps). */
function linkedCommands(text: string): string[] {
  return [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
}

describe('package.json: the Provenance side panel', () => {
  it('keeps the contract ids: view container nbprov "Provenance", views nbprov.trials and nbprov.tags, panels nbprov.lineage/trialDiff/acrossTrials', () => {
    const container = contributes.viewsContainers.activitybar.find((c: { id: string }) => c.id === 'nbprov');
    assert.equal(container.title, 'Provenance');
    assert.ok(existsSync(path.join(ROOT, container.icon)), container.icon);
    assert.deepEqual(contributes.views.nbprov.map((v: { id: string; name: string }) => [v.id, v.name]), [['nbprov.trials', 'Trials'], ['nbprov.tags', 'Tags']]);
    assert.deepEqual(Object.values(PANEL_VIEW_TYPES), ['nbprov.lineage', 'nbprov.trialDiff', 'nbprov.acrossTrials']);
  });

  it('every command the command table has is contributed with the same title, and back', () => {
    const table = Object.values(COMMANDS);
    assert.deepEqual(table.map((c) => c.id).sort(), [...commandIds].sort());
    for (const c of table) assert.equal(contributes.commands.find((x: { command: string }) => x.command === c.id).title, c.title);
  });

  it('menus, welcome content and the walkthrough name only contributed commands (or VS Code’s own)', () => {
    const used = [
      ...Object.values(contributes.menus as Record<string, { command: string }[]>).flat().map((m) => m.command),
      ...contributes.viewsWelcome.flatMap((w: { contents: string }) => linkedCommands(w.contents)),
      ...contributes.walkthroughs.flatMap((w: { steps: { description: string }[] }) => w.steps.flatMap((s) => linkedCommands(s.description))),
    ];
    assert.ok(used.length > 20);
    for (const id of used) assert.ok(commandIds.has(id) || id.startsWith('workbench.'), `unknown command ${id}`);
    assert.ok(contributes.viewsWelcome.some((w: { view: string }) => w.view === 'nbprov.trials'), 'welcome content for an empty Trials view');
  });

  it('the walkthrough has the four getting-started steps, each with its page', () => {
    const [walkthrough] = contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((s: { title: string }) => s.title), ['Record a run', 'Tag a metric', 'Save two trials', 'Compare']);
    for (const step of walkthrough.steps) assert.ok(existsSync(path.join(ROOT, step.media.markdown)), step.media.markdown);
    // The .vsix's contents are decided by .vscodeignore (test/e2e/smoke checks the packaged files).
    assert.match(readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!media\/\*\*$/m, 'media/ ships in the package');
  });
});
