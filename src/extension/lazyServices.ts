/**
 * The ExtensionServices the features registered at activation (side panel, webview panels) hold
 * before the engine is loaded: each call loads the engine on first use and forwards to it; the
 * events are relayed once it is loaded (nothing can have happened before).
 */
import * as vscode from 'vscode';
import type { Runtime } from './runtime';
import type { ExtensionServices, RecordedExecution, WorkspaceStore } from './services';

export interface LazyServices extends ExtensionServices, vscode.Disposable {
  /** Called once the engine is loaded: from then on its events reach the holders of these services. */
  relay(runtime: Runtime): vscode.Disposable;
}

export function lazyServices(log: vscode.LogOutputChannel, runtime: () => Promise<Runtime>): LazyServices {
  const storeChanged = new vscode.EventEmitter<WorkspaceStore>();
  const provenanceChanged = new vscode.EventEmitter<vscode.NotebookDocument>();
  const recorded = new vscode.EventEmitter<RecordedExecution>();
  return {
    log,
    stores: {
      storeFor: async (uri, options) => (await runtime()).services.stores.storeFor(uri, options),
      onDidChangeStore: storeChanged.event,
    },
    provenance: {
      provenance: async (notebook) => (await runtime()).services.provenance.provenance(notebook),
      onDidChangeProvenance: provenanceChanged.event,
    },
    onDidRecordExecution: recorded.event,
    relay: (r) =>
      vscode.Disposable.from(
        r.services.stores.onDidChangeStore((e) => storeChanged.fire(e)),
        r.services.provenance.onDidChangeProvenance((e) => provenanceChanged.fire(e)),
        r.services.onDidRecordExecution((e) => recorded.fire(e)),
      ),
    dispose: () => {
      storeChanged.dispose();
      provenanceChanged.dispose();
      recorded.dispose();
    },
  };
}
