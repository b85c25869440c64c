/**
 * The seams between the extension's parts. The activation module builds one `ExtensionServices`
 * and hands it to every feature (recording, tagging, hover, CodeLens, views, panels), so features
 * never open stores or start kernels on their own and are testable with a real store in a temp dir.
 */
import type * as vscode from 'vscode';
import type { CellAnalyzer } from '../core/analysis';
import type { NotebookLineage } from '../core/notebookLineage';
import type { NotebookView } from '../core/notebook/view';
import type { ExecutionRecord, SessionRecord } from '../core/records';
import type { Store } from '../core/store';

/** The workspace store (`.nbprov/store.sqlite`, the file the CLI reads), opened lazily. */
export interface StoreAccess {
  /** The store of the workspace holding `uri`; null when none exists and `create` is not set. */
  storeFor(uri: vscode.Uri, options?: { create?: boolean }): Promise<WorkspaceStore | null>;
  /** Fires after the store of a workspace changed (a record saved, a trial renamed, the CLI wrote it). */
  readonly onDidChangeStore: vscode.Event<WorkspaceStore>;
}

export interface WorkspaceStore {
  /** Absolute path of the workspace folder that holds `.nbprov/`. */
  readonly workspace: string;
  readonly store: Store;
  /** The store key of a notebook (workspace-relative path, '/'-separated). */
  notebookKey(notebookUri: vscode.Uri): string;
  /** Schedules a save: batched, on disk within one second; resolves when saved. */
  scheduleSave(): Promise<void>;
}

/** A finished, recorded execution of a cell, from whichever controller ran it. */
export interface RecordedExecution {
  readonly notebook: vscode.NotebookDocument;
  readonly cell: vscode.NotebookCell;
  readonly record: ExecutionRecord;
  readonly session: SessionRecord;
}

/** What the engine knows of one open notebook right now (unsaved edits included). */
export interface NotebookProvenance {
  readonly view: NotebookView;
  readonly notebookKey: string;
  readonly workspace: WorkspaceStore | null;
  readonly lineage: NotebookLineage;
  readonly analyzer: CellAnalyzer;
}

export interface ProvenanceAccess {
  /** Built on demand and cached until the notebook, its store or its recordings change. */
  provenance(notebook: vscode.NotebookDocument): Promise<NotebookProvenance>;
  /** Fires when a notebook's provenance may have changed (an execution recorded, a cell edited). */
  readonly onDidChangeProvenance: vscode.Event<vscode.NotebookDocument>;
}

export interface ExtensionServices {
  readonly log: vscode.LogOutputChannel;
  readonly stores: StoreAccess;
  readonly provenance: ProvenanceAccess;
  /** Fires for every execution recorded in this window. */
  readonly onDidRecordExecution: vscode.Event<RecordedExecution>;
}
