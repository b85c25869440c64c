/**
 * What every panel's browser code shares: the VS Code API handle, the `ready` handshake, typed
 * messages, kept state, and DOM helpers that only ever set text (values come from notebooks and
 * are never parsed as HTML).
 */
import { PROTOCOL_VERSION, parseHostMessage, type EmptyState, type HostMessage, type PanelKind, type WebviewMessage } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function getState<S extends object>(defaults: S): S {
  const saved = api.getState();
  return typeof saved === 'object' && saved !== null ? { ...defaults, ...(saved as Partial<S>) } : { ...defaults };
}

export function setState(state: object): void {
  api.setState(state);
}

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes and text children; strings become text nodes, never markup. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'className') node.className = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

/** Long values are cut for display (the full text stays in the title tooltip, also as text). */
export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function renderEmpty(root: HTMLElement, state: EmptyState): void {
  const action = state.action;
  const button = action ? el('button', { type: 'button', className: 'primary' }, action.label) : null;
  if (button && action) button.addEventListener('click', () => post({ type: 'runCommand', command: action.command }));
  root.replaceChildren(el('div', { className: 'empty', role: 'status' }, el('h2', {}, state.title), el('p', {}, state.message), button));
}

export function renderBanner(root: HTMLElement, message: string): void {
  root.querySelector('.banner')?.remove();
  root.prepend(el('div', { className: 'banner', role: 'alert' }, message));
}

/** Starts the panel: listens for host messages, then says `ready` (the host sends nothing before). */
export function startPanel(panel: PanelKind, root: HTMLElement, onData: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (!message) return;
    if (message.type === 'versionMismatch') {
      renderEmpty(root, { title: 'Reload needed', message: `This panel speaks protocol ${PROTOCOL_VERSION}, the extension sent ${String(message.version)}: close and reopen the panel.` });
      return;
    }
    if (message.type === 'empty') renderEmpty(root, message.state);
    else if (message.type === 'trialDeleted') renderBanner(root, message.message);
    else onData(message);
  });
  post({ type: 'ready', version: PROTOCOL_VERSION, panel });
}

/** A button that toggles (aria-pressed), for the panels' switches. */
export function toggle(label: string, pressed: boolean, onChange: (pressed: boolean) => void): HTMLButtonElement {
  const b = el('button', { type: 'button', className: 'toggle', 'aria-pressed': String(pressed) }, label);
  b.addEventListener('click', () => {
    const next = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(next));
    onChange(next);
  });
  return b;
}

/** The value of a VS Code theme colour variable, with a fallback outside VS Code. */
export function themeColour(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}
