/**
 * One command table and one settings module, mirrored in package.json: checked both ways, plus
 * that activate() registers a handler for every command (the built extension run against a
 * recording vscode module — wiring only; the end-to-end test checks the palette in a real VS Code)
 * and that menus name known commands.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { registeredByActivation } from './registrations';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; icon?: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
    menus?: Record<string, { command: string; when?: string }[]>;
  };
};

test('the command table equals package.json contributes.commands (ids, titles, icons), both ways', () => {
  const table = Object.values(COMMANDS).map((c) => ({ command: c.id, title: c.title, ...('icon' in c ? { icon: c.icon } : {}) }));
  const contributed = pkg.contributes.commands.map((c) => ({ command: c.command, title: c.title, ...(c.icon ? { icon: c.icon } : {}) }));
  const byId = (a: { command: string }, b: { command: string }) => a.command.localeCompare(b.command);
  assert.deepEqual([...contributed].sort(byId), [...table].sort(byId));
});

test('the DESIGN.md §4 ids keep their titles', () => {
  assert.equal(COMMANDS.tagVariable.title, 'nbprov: Tag Variable…');
  assert.equal(COMMANDS.tagCellStage.title, 'nbprov: Tag Cell Stage…');
  assert.equal(COMMANDS.runAsTrial.title, 'nbprov: Run Notebook as Trial…');
  assert.equal(COMMANDS.showLog.id, 'nbprov.showLog');
});

test('activate() registers a handler for every command of the table, each exactly once', () => {
  // VS Code refuses a second registration of an id, so a duplicate would break activation.
  const registered = registeredByActivation(root);
  for (const command of Object.values(COMMANDS)) {
    assert.equal(registered.filter((id) => id === command.id).length, 1, `${command.id}: registered ${registered.filter((id) => id === command.id).length} times by activate()`);
  }
  const duplicates = registered.filter((id, i) => registered.indexOf(id) !== i);
  assert.deepEqual(duplicates, [], 'no command id is registered twice');
  // Commands registered but not in the table are internal (tree-item actions): never contributed.
  const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const id of registered) if (!Object.values(COMMANDS).some((c) => c.id === (id as string))) assert.ok(!contributed.has(id), `${id} is contributed but missing from the command table`);
});

test('settings keys and defaults equal package.json contributes.configuration, both ways', () => {
  // settings.ts imports vscode (it reads the configuration), so its table is read as text.
  const text = readFileSync(path.join(root, 'src', 'extension', 'settings.ts'), 'utf8');
  const table = [...text.matchAll(/^\s+\w+: \{ key: '([^']+)', default: (.+?) as [\w[\]]+ \},$/gm)].map((m) => [`nbprov.${m[1]}`, JSON.parse(m[2].replace(/'/g, '"')) as unknown] as const);
  assert.ok(table.length >= 6, 'the settings table was read');
  const contributed = Object.entries(pkg.contributes.configuration.properties).map(([key, p]) => [key, p.default] as const);
  const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => a[0].localeCompare(b[0]);
  assert.deepEqual([...contributed].sort(byKey), [...table].sort(byKey));
});

test('menus name commands of the table; tagging sits in the cell editor context menu and the cell toolbar', () => {
  const menus = pkg.contributes.menus ?? {};
  const ids = new Set<string>(Object.values(COMMANDS).map((c) => c.id));
  for (const [menu, items] of Object.entries(menus)) for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command} is not in the command table`);
  const context = menus['editor/context'] ?? [];
  for (const id of [COMMANDS.tagVariable.id, COMMANDS.untagVariable.id]) {
    const item = context.find((i) => i.command === id);
    assert.match(item?.when ?? '', /notebookType == jupyter-notebook && notebookCellType == code|resourceScheme == vscode-notebook-cell/, `${id} in editor/context, for notebook code cells only`);
  }
  assert.ok((menus['notebook/cell/title'] ?? []).some((i) => i.command === COMMANDS.tagCellStage.id));
});
