/**
 * Every `nbprov.*` setting, read through this one typed module (DESIGN.md §5). The keys and
 * defaults here are exactly `package.json` `contributes.configuration` (a test checks both ways).
 */
import * as vscode from 'vscode';

export const SETTINGS = {
  recordingEnabled: { key: 'recording.enabled', default: true as boolean },
  excludedNames: { key: 'recording.excludedNames', default: [] as string[] },
  codeLensEnabled: { key: 'codeLens.enabled', default: true as boolean },
  pythonInterpreter: { key: 'python.interpreter', default: '' as string },
  jupyterServerUrl: { key: 'jupyter.serverUrl', default: '' as string },
  valuePreviewLength: { key: 'values.previewLength', default: 120 as number },
} as const;

export interface NbprovSettings {
  /** Record executions into the workspace store. */
  readonly recordingEnabled: boolean;
  /** Names never recorded (e.g. secrets); matched exactly. */
  readonly excludedNames: readonly string[];
  readonly codeLensEnabled: boolean;
  /** Python for the local Jupyter Server of "nbprov: Python"; empty = discover. */
  readonly pythonInterpreter: string;
  /** A team's Jupyter Server / JupyterHub URL; empty = start a local one. The token is in SecretStorage. */
  readonly jupyterServerUrl: string;
  /** Characters of a value's repr shown in hovers and CodeLens. */
  readonly valuePreviewLength: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): NbprovSettings {
  const config = vscode.workspace.getConfiguration('nbprov', scope);
  const get = <T>(s: { key: string; default: T }): T => config.get<T>(s.key, s.default);
  const names = get(SETTINGS.excludedNames);
  const preview = get(SETTINGS.valuePreviewLength);
  return {
    recordingEnabled: get(SETTINGS.recordingEnabled) !== false,
    excludedNames: Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [],
    codeLensEnabled: get(SETTINGS.codeLensEnabled) !== false,
    pythonInterpreter: String(get(SETTINGS.pythonInterpreter) ?? '').trim(),
    jupyterServerUrl: String(get(SETTINGS.jupyterServerUrl) ?? '').trim(),
    valuePreviewLength: Number.isFinite(preview) && preview >= 20 ? Math.min(Math.floor(preview), 10_000) : SETTINGS.valuePreviewLength.default,
  };
}

/** Fires `listener` when any nbprov setting changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('nbprov')) listener();
  });
}
