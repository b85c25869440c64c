/**
 * What a user does with the Provenance side panel and nbprov's webview panels, as Playwright steps
 * on code-server's workbench (VS Code 1.100): the activity bar container, rows of the Trials tree
 * and their context menu, quick picks known by their placeholder, the modal confirmation, and the
 * content frame of a webview panel. Waits are on selectors and conditions with generous bounds.
 */
import type { Frame, Locator } from 'playwright-core';
import { type Editor, UI_TIMEOUT_MS, exactly, poll } from './editor';

export class PanelsUi {
  constructor(readonly editor: Editor) {}

  private get page() {
    return this.editor.page;
  }

  /** Clicks the "Provenance" container in the activity bar and waits for its Trials view. */
  async openProvenance(): Promise<void> {
    await this.page.locator('.part.activitybar .action-item a.action-label[aria-label^="Provenance"]').first().click({ timeout: UI_TIMEOUT_MS });
    await poll('the Trials view in the side bar', async () => (await this.page.locator('.part.sidebar .pane-header .title').allInnerTexts()).some((t) => t.trim().toLowerCase() === 'trials'));
  }

  /** Clicks the Explorer in the activity bar and waits for its file rows. */
  async openExplorer(): Promise<void> {
    await this.page.locator('.part.activitybar .action-item a.action-label[aria-label^="Explorer"]').first().click({ timeout: UI_TIMEOUT_MS });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  }

  /** The Trials view's pane (header and body). */
  get trialsPane(): Locator {
    return this.page.locator('.part.sidebar .pane').filter({ has: this.page.locator('.pane-header .title', { hasText: /^\s*trials\s*$/i }) });
  }

  /** Labels of the rows the Trials tree shows. */
  async trialsRows(): Promise<string[]> {
    return (await this.trialsPane.locator('.pane-body .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
  }

  /** The Trials tree's row whose label is exactly `label`. */
  trialRow(label: string): Locator {
    return this.trialsPane.locator('.pane-body .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }

  /** Right-clicks a row of the Trials tree and chooses a context-menu item by its label. */
  async trialContextMenu(label: string, item: string | RegExp): Promise<void> {
    const row = this.trialRow(label);
    await row.click({ timeout: UI_TIMEOUT_MS });
    await row.click({ button: 'right' });
    await this.chooseMenuItem(item);
  }

  /**
   * Chooses an item of the open context menu: pointing at it highlights it and Enter runs it (a
   * synthetic click can leave code-server's menu open without running it).
   */
  async chooseMenuItem(item: string | RegExp): Promise<void> {
    const text = typeof item === 'string' ? exactly(item) : item;
    const entry = this.page.locator('.monaco-menu .action-item .action-label').filter({ hasText: text });
    await entry.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await entry.first().hover();
    await poll(`the menu item ${String(item)} to be highlighted`, async () => (await this.page.locator('.monaco-menu .action-item.focused .action-label').filter({ hasText: text }).count()) > 0);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Waits for a quick pick whose placeholder matches, then picks the row labelled `label`. */
  async pickFrom(placeholder: RegExp, label: string | RegExp): Promise<string[]> {
    const input = this.editor.quickInput.locator('.quick-input-box input').first();
    const labels = await poll(`a quick pick asking ${String(placeholder)}`, async () => {
      if (!(await this.editor.quickInputOpen())) return undefined;
      if (!placeholder.test((await input.getAttribute('placeholder')) ?? '')) return undefined;
      const shown = (await this.editor.quickInput.locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
      return shown.length ? shown : undefined;
    });
    await this.editor.pick(label);
    return labels;
  }

  /** The modal dialog's message, once one is shown. */
  async dialogMessage(): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box').filter({ visible: true });
    await dialog.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    return (await dialog.first().innerText()).replace(/\s+/g, ' ');
  }

  /** Clicks a button of the open modal dialog and waits for it to close. */
  async dialogButton(label: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box').filter({ visible: true }).first();
    await dialog.locator('.monaco-button').filter({ hasText: exactly(label) }).first().click({ timeout: UI_TIMEOUT_MS });
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /**
   * The content frame (`iframe.webview` → `iframe#active-frame`) of the visible webview that shows
   * `selector`: the notebook's output webview and each panel have one, told apart by their content.
   */
  async webviewWith(selector: string, timeoutMs = UI_TIMEOUT_MS): Promise<Frame> {
    return poll(`a webview showing ${selector}`, async () => {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        const found = frame.locator(selector);
        if ((await found.count().catch(() => 0)) > 0 && (await found.first().isVisible().catch(() => false))) return frame;
      }
      return undefined;
    }, timeoutMs);
  }

  /** "Cell N of M" of the active notebook's selected cell, as VS Code's status bar tells it (1-based, markdown counted). */
  async selectedCell(): Promise<number | undefined> {
    const item = (await this.editor.statusBarItems()).map((t) => /Cell (\d+) of \d+/.exec(t)).find(Boolean);
    return item ? Number(item[1]) : undefined;
  }

  /** How many notebook editors are on screen. */
  async visibleNotebookEditors(): Promise<number> {
    return this.page.locator('.notebook-editor').filter({ visible: true }).count();
  }
}
