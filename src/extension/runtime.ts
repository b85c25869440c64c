/**
 * Everything behind the first use: the store, the analysers (WASM), the lineage, the recorder.
 * extension.ts loads this module with a dynamic import the first time a feature needs it, so
 * activation itself loads no WASM, no sql.js and no TypeScript compiler.
 */
import * as vscode from 'vscode';
import { createAnalyzer, type CellAnalyzer } from '../core/analysis';
import { languageFromName } from '../core/notebook/ipynb';
import { Messages } from './messages';
import { ProvenanceCache } from './provenance';
import { Recorder } from './recording';
import { commandRunner, type NotebookRunner } from './runner';
import type { ExtensionServices } from './services';
import { WorkspaceStores } from './stores';

export class Runtime implements vscode.Disposable {
  readonly messages: Messages;
  readonly stores: WorkspaceStores;
  readonly provenanceCache: ProvenanceCache;
  readonly recorder: Recorder;
  readonly services: ExtensionServices;
  private analyzer: Promise<CellAnalyzer> | undefined;
  private wiredRunner: NotebookRunner | undefined;

  constructor(readonly log: vscode.LogOutputChannel) {
    this.messages = new Messages(log);
    this.stores = new WorkspaceStores(log, this.messages);
    this.provenanceCache = new ProvenanceCache(this.stores, () => this.loadAnalyzer());
    this.recorder = new Recorder(this.stores, this.provenanceCache, this.messages, log);
    this.services = {
      log,
      stores: this.stores,
      provenance: this.provenanceCache,
      onDidRecordExecution: this.recorder.onDidRecordExecution,
    };
  }

  private loadAnalyzer(): Promise<CellAnalyzer> {
    if (!this.analyzer) {
      const started = performance.now();
      this.analyzer = createAnalyzer().then((analyzer) => {
        this.log.info(`analysers loaded in ${(performance.now() - started).toFixed(0)} ms`);
        return analyzer;
      });
      this.analyzer.catch(() => (this.analyzer = undefined));
    }
    return this.analyzer;
  }

  /** The nbprov controller's runner once wired, else VS Code's notebook commands. */
  runner(): NotebookRunner {
    return this.wiredRunner ?? commandRunner;
  }

  setRunner(runner: NotebookRunner | undefined): void {
    this.wiredRunner = runner;
  }

  /** Why a hover cannot show recorded values for this cell, when it is known without the store. */
  noValuesReason(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): string | null {
    const language = languageFromName(cell.document.languageId);
    if (language !== 'python') return `values are recorded for Python cells; this cell is ${cell.document.languageId} (lineage below is from static analysis)`;
    const refusal = this.recorder.refusal(notebook);
    if (refusal) return refusal;
    return this.stores.refusal(notebook.uri);
  }

  async flush(): Promise<void> {
    await this.recorder.settled();
    await this.stores.flush();
  }

  dispose(): void {
    this.recorder.dispose();
    this.provenanceCache.dispose();
    this.stores.dispose();
  }
}
