// Lint rules that keep the layers honest (see docs/architecture.md, "Layers"):
// core is pure (no vscode, no kernel/cli/extension), nothing imports the extension, browser code
// sees only src/shared, and src/shared depends on no layer and no Node module.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', ...builtinModules.flatMap((m) => [m, `${m}/*`])];

const layerRule = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'media/**', 'test/fixtures/**', 'demo-workspace/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['vscode'], message: 'src/core must stay free of vscode: it is tested in plain Node.' },
        { group: ['**/kernel/**', '**/cli/**', '**/extension/**', '**/webview/**'], message: 'src/core depends on nothing above it.' },
      ]),
    },
  },
  {
    files: ['src/kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['**/cli/**', '**/extension/**', '**/webview/**'], message: 'src/kernel may depend only on src/core.' },
      ]),
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['vscode'], message: 'The CLI runs without VS Code.' },
        { group: ['**/extension/**', '**/webview/**'], message: 'Nothing imports the extension.' },
      ]),
    },
  },
  {
    // Verbs write only through their Output (src/cli/output.ts), which neutralises control
    // characters from notebooks and stores: a verb cannot reach the terminal with raw text.
    files: ['src/cli/commands/**/*.ts', 'src/cli/session.ts', 'src/cli/files.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'stdout', message: 'Write through the command\'s Output (ctx.output): it neutralises control characters.' },
        { object: 'process', property: 'stderr', message: 'Write through the command\'s Output (ctx.output): it neutralises control characters.' },
      ],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['vscode', '**/core/**', '**/kernel/**', '**/cli/**', '**/extension/**'], message: 'Browser code sees only src/shared (types and the message protocol).' },
        { group: nodeBuiltins, message: 'Browser code runs in a webview: no Node modules.' },
      ]),
    },
  },
  {
    // Every layer imports src/shared, browser code included: it depends on no layer, no Node
    // module and no package but d3 (for the one chart drawing the CLI and the webviews share).
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': layerRule([
        { group: ['vscode', ...nodeBuiltins], message: 'src/shared runs in browsers too: no Node modules, no vscode.' },
        { group: ['**/core/**', '**/kernel/**', '**/cli/**', '**/extension/**', '**/webview/**'], message: 'src/shared depends on no layer: every layer imports it.' },
        { regex: '^(?![./]|d3-)', message: 'src/shared uses no package but d3 (types, constants, and the chart drawing shared by the CLI and the webviews).' },
      ]),
    },
  },
);
