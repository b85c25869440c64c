/**
 * VS Code entry point. The editor features (execution watcher, CodeLens, hover, trial panels)
 * arrive with the editor-UI issue and reuse src/core and src/kernel unchanged; for now the
 * extension only sets up its log channel so activation is observable.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('nbprov', { log: true });
  context.subscriptions.push(log);
  log.info(`nbprov ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
