/**
 * The one typed contract between the CLI, the extension and the webviews: pure types and constants,
 * importing nothing (no node, no vscode, no DOM), so any of them can use it. Webview messages are
 * in protocol.ts.
 */
export type * from './cli';
export type * from './facts';
export type * from './records';
export * from './tags';
