/**
 * VS Code entry point. The editor features (execution watcher, CodeLens, hover, trial panels)
 * arrive with the editor-UI issue and reuse src/core and src/kernel unchanged; for now the
 * extension sets up its log channel and the kernel side (controller "nbprov: Python").
 */
import * as vscode from 'vscode';
import { registerKernel, type NbprovKernelController } from './kernel';

let kernel: NbprovKernelController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('nbprov', { log: true });
  context.subscriptions.push(log);
  log.info(`nbprov ${String(context.extension.packageJSON.version)} activated`);
  kernel = registerKernel(context, log);
}

export async function deactivate(): Promise<void> {
  // Waits for local Jupyter Servers and kernels to shut down; the rest goes with context.subscriptions.
  await kernel?.dispose();
}
