/**
 * User-facing messages: one line naming the problem and the fix, shown once per cause (a hover or
 * CodeLens refresh must not raise the same popup a hundred times), always logged. Errors that are
 * not nbprov's own typed errors are logged with their stack, never shown with it.
 */
import * as vscode from 'vscode';
import { NbprovError } from '../core/errors';

export class Messages {
  private readonly shown = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Shows `message` the first time `key` is seen (warning by default); logs it every time. */
  once(key: string, message: string, level: 'info' | 'warning' | 'error' = 'warning'): void {
    this.log[level === 'warning' ? 'warn' : level](message);
    if (this.shown.has(key)) return;
    this.shown.add(key);
    const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`nbprov: ${message}`);
  }

  /** Lets `key` show again (its cause went away and may come back). */
  forget(key: string): void {
    this.shown.delete(key);
  }

  /** For a command that failed: nbprov's own errors are shown as they are, anything else as one line with the log. */
  failure(what: string, err: unknown): void {
    if (err instanceof NbprovError) {
      this.log.warn(`${what}: ${err.message}`);
      void vscode.window.showWarningMessage(`nbprov: ${err.message}`);
      return;
    }
    this.log.error(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void vscode.window.showErrorMessage(`nbprov: ${what} failed: ${describe(err)} (details: nbprov: Show Log)`);
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}
