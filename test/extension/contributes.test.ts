/**
 * One command table and one settings module, mirrored in package.json: checked both ways, plus
 * that the extension registers a handler for every command and that menus name known commands.
 * Registration is read statically from src/extension (activation itself needs a running editor;
 * the end-to-end test checks the palette in a real VS Code).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; icon?: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
    menus?: Record<string, { command: string; when?: string }[]>;
  };
};

/**
 * Commands whose handlers another part of the editor work registers (the panels, issue 9).
 * Until those land in this branch they are reported as todo, never as passing; once registered,
 * they are checked like the rest. Empty this list when everything is merged.
 */
const REGISTERED_ELSEWHERE = new Set(['showLineage', 'compareTrials', 'showAcrossTrials']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Command ids passed to vscode.commands.registerCommand anywhere in src/extension (as COMMANDS.key.id or a literal). */
function registeredCommandIds(): Set<string> {
  const ids = new Set<string>();
  const byKey = new Map(Object.entries(COMMANDS).map(([key, c]) => [key, c.id]));
  for (const file of sourceFiles(path.join(root, 'src', 'extension'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/registerCommand\(\s*(?:COMMANDS\.(\w+)\.id|'(nbprov\.[\w.]+)'|"(nbprov\.[\w.]+)")/g)) {
      const id = m[1] ? byKey.get(m[1]) : (m[2] ?? m[3]);
      if (id) ids.add(id);
    }
  }
  return ids;
}

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

test('every command in the table has a registered handler, and nothing outside it is registered', () => {
  const registered = registeredCommandIds();
  for (const [key, command] of Object.entries(COMMANDS)) {
    if (REGISTERED_ELSEWHERE.has(key)) continue;
    assert.ok(registered.has(command.id), `${command.id} is in the table but no registerCommand in src/extension handles it`);
  }
  for (const id of registered) assert.ok(Object.values(COMMANDS).some((c) => c.id === (id as string)), `${id} is registered but missing from the command table`);
});

for (const key of REGISTERED_ELSEWHERE) {
  const id = COMMANDS[key as keyof typeof COMMANDS].id;
  const pending = !registeredCommandIds().has(id);
  test(`${id} has a registered handler`, { todo: pending ? 'registered by another part of the editor work, not merged here yet' : false }, () => {
    assert.ok(registeredCommandIds().has(id), `${id} is in the table but no registerCommand in src/extension handles it`);
  });
}

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
