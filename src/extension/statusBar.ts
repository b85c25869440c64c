/**
 * The status bar item: recording state and the number of executions recorded in this window;
 * clicking it opens the log. Created at activation (cheap); fed by the recorder once it loads.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { RecordingState } from './recording';
import { readSettings } from './settings';

export class RecordingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nbprov.recording', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'nbprov recording';
    this.item.command = COMMANDS.showLog.id;
    this.update({ enabled: readSettings().recordingEnabled, trusted: vscode.workspace.isTrusted, count: 0, unsaved: false });
    this.item.show();
  }

  update(state: RecordingState): void {
    if (!state.trusted) {
      this.item.text = '$(shield) nbprov: restricted';
      this.item.tooltip = 'nbprov records nothing in an untrusted workspace (lineage from static analysis only). Click for the log.';
    } else if (!state.enabled) {
      this.item.text = '$(circle-slash) nbprov: off';
      this.item.tooltip = 'Recording is turned off (setting nbprov.recording.enabled). Click for the log.';
    } else if (state.unsaved) {
      this.item.text = `$(warning) nbprov: ${state.count} unsaved`;
      this.item.tooltip = 'The store cannot be written; recorded executions are kept in memory until it can. Click for the log.';
    } else {
      this.item.text = `$(record) nbprov: ${state.count}`;
      this.item.tooltip = `nbprov is recording: ${state.count} execution${state.count === 1 ? '' : 's'} recorded in this window. Click for the log.`;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
