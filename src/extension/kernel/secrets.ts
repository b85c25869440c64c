/**
 * The remote Jupyter Server's token lives in VS Code's SecretStorage, one per server URL: never in
 * settings, the log or the store. Only its presence is ever logged.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import { readSettings } from '../settings';

/** One secret per server: scheme, host, port and base path (query and fragment dropped). */
export function serverKey(url: string): string {
  try {
    const parsed = new URL(url.trim());
    const base = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
    return `nbprov.jupyter.token:${parsed.protocol}//${parsed.host}${base}`;
  } catch {
    return `nbprov.jupyter.token:${url.trim()}`;
  }
}

export class ServerTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(url: string): Promise<string | undefined> {
    return this.secrets.get(serverKey(url));
  }

  async set(url: string, token: string): Promise<void> {
    await this.secrets.store(serverKey(url), token);
  }

  async delete(url: string): Promise<void> {
    await this.secrets.delete(serverKey(url));
  }
}

/** Command nbprov.setServerToken: asks for the token of the server in nbprov.jupyter.serverUrl. */
export async function promptForServerToken(tokens: ServerTokens, log: vscode.LogOutputChannel): Promise<void> {
  const url = readSettings().jupyterServerUrl;
  if (!url) {
    const open = 'Open Settings';
    const choice = await vscode.window.showInformationMessage('No remote Jupyter Server is set: put its URL in the setting nbprov.jupyter.serverUrl first, then set its token.', open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'nbprov.jupyter.serverUrl');
    return;
  }
  const token = await vscode.window.showInputBox({
    title: COMMANDS.setServerToken.title,
    prompt: `Token of the Jupyter Server at ${url} (kept in VS Code's secret storage; leave empty to remove it)`,
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return;
  if (token.trim() === '') {
    await tokens.delete(url);
    log.info(`removed the stored token of ${url}`);
    void vscode.window.showInformationMessage(`nbprov: removed the token of ${url}.`);
    return;
  }
  await tokens.set(url, token.trim());
  log.info(`stored a token for ${url}`);
  void vscode.window.showInformationMessage(`nbprov: token stored for ${url}; the next kernel started there uses it.`);
}
