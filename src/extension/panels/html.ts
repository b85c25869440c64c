/**
 * The HTML shell of every panel: a nonce Content-Security-Policy (no unsafe-eval, no inline
 * script), the panel's bundle and the shared stylesheet from the built webview folder, and an
 * empty #app the bundle fills. Pure, so the browser tests load exactly this page.
 */
import type { PanelKind } from '../../shared/protocol';

export interface PanelHtmlInput {
  panel: PanelKind;
  title: string;
  /** `webview.cspSource` (or the test server's origin). */
  cspSource: string;
  nonce: string;
  /** URIs of dist/webview/<panel>.js and dist/webview/panels.css as the webview may load them. */
  scriptUri: string;
  styleUri: string;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  const csp = escapeAttribute(contentSecurityPolicy(input.cspSource, input.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(input.styleUri)}">
<title>${escapeAttribute(input.title)}</title>
</head>
<body data-panel="${input.panel}">
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${escapeAttribute(input.nonce)}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 random alphanumerics from a cryptographic source. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join('');
}
