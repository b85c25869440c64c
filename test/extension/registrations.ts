/**
 * Loads the built extension (dist/extension.js) against a recording `vscode` module and runs
 * activate(), to list the commands it registers. Used ONLY for the registration check: it verifies
 * wiring (every command of the table has a handler), not behaviour — the end-to-end test drives a
 * real VS Code for that. Every other API answers with an inert object.
 */
import { existsSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

type Inert = ((...args: unknown[]) => Inert) & { [key: string]: Inert };

function inert(): Inert {
  const target = function () {} as unknown as Inert;
  return new Proxy(target, {
    get: (_t, prop) => {
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.iterator) return function* () {};
      return inert();
    },
    set: () => true,
    apply: () => inert(),
    construct: () => inert(),
  });
}

const VSCODE_NAMES = [
  'window', 'workspace', 'languages', 'notebooks', 'env', 'extensions', 'l10n', 'authentication', 'debug', 'tasks', 'tests', 'scm', 'version',
  'Uri', 'EventEmitter', 'Disposable', 'Range', 'Position', 'Selection', 'Hover', 'MarkdownString', 'CodeLens', 'ThemeIcon', 'ThemeColor',
  'NotebookCellStatusBarItem', 'NotebookCellStatusBarAlignment', 'StatusBarAlignment', 'NotebookEdit', 'WorkspaceEdit', 'NotebookCellKind',
  'NotebookCellOutput', 'NotebookCellOutputItem', 'NotebookCellData', 'NotebookData', 'NotebookRange', 'NotebookControllerAffinity',
  'ProgressLocation', 'CancellationError', 'CancellationTokenSource', 'TreeItem', 'TreeItemCollapsibleState', 'ViewColumn', 'RelativePattern',
  'ConfigurationTarget', 'FileType', 'ExtensionMode', 'LogLevel', 'QuickPickItemKind', 'TextEditorRevealType', 'TabInputNotebook', 'TabInputText',
  'DataTransfer', 'EndOfLine', 'ColorThemeKind', 'FileSystemError', 'Location', 'TextEdit', 'SnippetString', 'UIKind',
];

export function registeredByActivation(root: string): string[] {
  const bundle = path.join(root, 'dist', 'extension.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const registered: string[] = [];
  // The bundle copies the module's own keys (esbuild's CommonJS interop), so every name it may use is listed.
  const vscode: Record<string, unknown> = {};
  for (const name of VSCODE_NAMES) Object.defineProperty(vscode, name, { enumerable: true, get: () => inert() });
  Object.defineProperty(vscode, 'commands', {
    enumerable: true,
    get: () =>
      new Proxy({} as Record<string, unknown>, {
        get: (_c, name) => (name === 'registerCommand' ? (id: string) => (registered.push(id), inert()) : inert()),
      }),
  });
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    return request === 'vscode' ? vscode : original.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[bundle];
    // The bundle is CommonJS built for VS Code's loader: required, as VS Code does.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundle) as { activate(context: unknown): void };
    extension.activate({ subscriptions: [], extension: { id: 'nbprov.nbprov', packageJSON: { version: '0.0.0' } }, extensionUri: inert(), globalState: inert(), workspaceState: inert(), secrets: inert(), extensionPath: root, asAbsolutePath: (p: string) => path.join(root, p) });
  } finally {
    loader._load = original;
  }
  return registered;
}
