/**
 * One webview panel of a view type: created or revealed, disposed on close, and speaking the
 * protocol of src/shared/protocol.ts. Nothing is posted before the webview says `ready`; every
 * `ready` (the webview reloads when it was hidden) is answered with the latest data message.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPES, PROTOCOL_VERSION, parseWebviewMessage, type EmptyState, type HostMessage, type PanelKind, type WebviewMessage } from '../../shared/protocol';
import { makeNonce, panelHtml } from './html';

type DataMessage = Extract<HostMessage, { type: 'lineage' | 'trialDiff' | 'acrossTrials' }>;

export class PanelHost implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private latest: HostMessage | undefined;
  private banner: HostMessage | undefined;
  private disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    readonly kind: PanelKind,
    title: string,
    private readonly onMessage: (message: WebviewMessage) => void,
    private readonly onDispose: () => void,
  ) {
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES[kind], title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
    });
    const webview = this.panel.webview;
    webview.html = panelHtml({
      panel: kind,
      title,
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, `${kind}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, 'panels.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) return;
        if (message.type === 'ready') {
          this.ready = message.version === PROTOCOL_VERSION;
          this.flush();
          return;
        }
        this.onMessage(message);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  setTitle(title: string): void {
    this.panel.title = title;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  showData(message: Omit<DataMessage, 'version'>): void {
    this.banner = undefined;
    this.send({ ...message, version: PROTOCOL_VERSION } as HostMessage);
  }

  showEmpty(state: EmptyState): void {
    this.banner = undefined;
    this.send({ type: 'empty', version: PROTOCOL_VERSION, state });
  }

  /** A trial the panel shows is gone: the data stays, with a banner saying so. */
  showTrialDeleted(trialId: string, message: string): void {
    this.banner = { type: 'trialDeleted', version: PROTOCOL_VERSION, trialId, message };
    if (this.ready) void this.panel.webview.postMessage(this.banner);
  }

  private send(message: HostMessage): void {
    this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private flush(): void {
    if (!this.ready) return;
    if (this.latest) void this.panel.webview.postMessage(this.latest);
    if (this.banner) void this.panel.webview.postMessage(this.banner);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}
