/**
 * Loads a panel's built bundle in Debian's Chromium from the same HTML shell and CSP the extension
 * serves, with a fake `acquireVsCodeApi` (installed before any page script, as VS Code does). The
 * test plays the extension host's side of the protocol; the browser, the bundle and the CSP are real.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { panelHtml } from '../../src/extension/panels/html';
import type { HostMessage, PanelKind, WebviewMessage } from '../../src/shared/protocol';

export const ORIGIN = 'http://nbprov.test';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'panels');
export const CHROMIUM = '/usr/bin/chromium';

export interface PanelBrowser {
  browser: Browser;
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

export async function launch(): Promise<PanelBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1200, height: 800 },
  });
  return {
    browser: context.browser()!,
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What the page did: messages it posted, state it kept, CSP violations, script errors, dialogs. */
export interface PageRecord {
  posted: WebviewMessage[];
  state: unknown;
  cspViolations: string[];
  pwned: unknown;
}

const THEME_CSS = `
html { --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-panel-border: #3c3c3c; --vscode-focusBorder: #0078d4; --vscode-charts-blue: #3794ff; --vscode-charts-orange: #d18616;
  --vscode-charts-green: #89d185; --vscode-charts-red: #f14c4c; --vscode-editorWidget-background: #252526;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #3a3d41;
  --vscode-button-secondaryForeground: #cccccc; --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc;
  --vscode-editorWarning-foreground: #cca700; --vscode-font-family: system-ui, 'DejaVu Sans', sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: 'DejaVu Sans Mono', monospace; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-editorHoverWidget-background: #252526; --vscode-inputValidation-warningBackground: #352a05; --vscode-textBlockQuote-background: #2b2b2b; }`;

/**
 * Opens the panel page and waits for its `ready`. `errors` collects uncaught page errors and
 * console errors (a hostile value must not produce one either).
 */
/** `bundles`: the folder holding <panel>.js and panels.css (a fresh build in tests, dist/webview in the bench). */
export async function openPanel(pb: PanelBrowser, bundles: string, panel: PanelKind, errors: string[], initialState?: unknown): Promise<Page> {
  const dir = bundles;
  const page = await pb.context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  // A string, not a function: the test runner's transpiler would wrap a function in helpers the page lacks.
  await page.addInitScript(`
    window.__posted = [];
    window.__state = ${JSON.stringify(initialState ?? null)};
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
    });
  `);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/theme.css') return route.fulfill({ contentType: 'text/css', body: THEME_CSS });
    if (url.pathname === `/${panel}.html`) {
      const html = panelHtml({ panel, title: panel, cspSource: ORIGIN, nonce: 'n0nceForTheBrowserTest0123456789', scriptUri: `${ORIGIN}/${panel}.js`, styleUri: `${ORIGIN}/panels.css` });
      // The VS Code theme variables come from a second stylesheet (VS Code injects them the same way, outside the CSP's reach).
      return route.fulfill({ contentType: 'text/html', body: html.replace('</head>', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n</head>`) });
    }
    const file = path.join(dir, path.basename(url.pathname));
    try {
      return route.fulfill({ contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(file) });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  await page.goto(`${ORIGIN}/${panel}.html`);
  await page.waitForFunction(() => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  return page;
}

/** Plays the host: one message, as VS Code's webview.postMessage delivers it. */
export async function send(page: Page, message: HostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function record(page: Page): Promise<PageRecord> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { posted: w.__posted as WebviewMessage[], state: w.__state, cspViolations: w.__csp as string[], pwned: w.__pwned };
  });
}
