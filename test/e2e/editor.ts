/**
 * What a user does in VS Code, as Playwright steps on code-server's workbench (VS Code 1.100
 * selectors, see ../shared/e2e-vscode.md): open a notebook, pick a kernel, run cells, read
 * execution counts, outputs, CodeLens, hovers, the status bars and notifications, use the context
 * menu, the cell toolbar, quick picks, input boxes and the command palette, save. Every wait is on
 * a selector or a condition with a generous bound; `step` keeps a screenshot of each step.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

/** A bound for one user action to show its effect on a loaded 2-core machine. */
export const UI_TIMEOUT_MS = 90_000;
/** A bound for work that starts a kernel or runs a notebook. */
export const KERNEL_TIMEOUT_MS = 240_000;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches a label exactly, ignoring surrounding whitespace. */
export const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

export async function poll<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = UI_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

export class Editor {
  private shots = 0;

  constructor(
    readonly page: Page,
    readonly artifacts: string,
    readonly userDataDir: string,
  ) {}

  /** Runs one user step and keeps a screenshot of the screen after it (or when it failed). */
  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    const file = `${String(++this.shots).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    try {
      const result = await action();
      await this.screenshot(file);
      return result;
    } catch (error) {
      await this.screenshot(`${file}-FAILED`);
      throw error;
    }
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(this.artifacts, `${name}.png`) }).catch(() => undefined);
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 180_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 180_000 });
  }

  // --- notebooks ------------------------------------------------------------------------------

  /** The visible notebook's code cells (two `.notebook-editor` elements exist, one hidden). */
  get codeCells(): Locator {
    return this.page.locator('.notebook-editor .code-cell-row').filter({ visible: true });
  }

  cell(index: number): Locator {
    return this.codeCells.nth(index);
  }

  /**
   * Opens a notebook from the explorer and waits for its cells. Right after the workbench starts
   * the notebook type may not be registered yet and the file opens as JSON text: close and reopen.
   */
  async openNotebook(fileName: string): Promise<void> {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: exactly(fileName) });
    await poll(`notebook ${fileName} to open as a notebook`, async () => {
      await row.first().click({ timeout: UI_TIMEOUT_MS });
      try {
        await this.codeCells.first().waitFor({ state: 'visible', timeout: 20_000 });
        return true;
      } catch {
        await this.runCommand('View: Close All Editors');
        return false;
      }
    }, 240_000);
  }

  /** Picks a kernel (notebook controller) by its label in the kernel picker. */
  async selectKernel(label: string): Promise<void> {
    const picker = this.page.locator('.kernel-action-view-item').filter({ visible: true }).first();
    await picker.click({ timeout: UI_TIMEOUT_MS });
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    const wanted = rows.filter({ hasText: label });
    const another = rows.filter({ hasText: /Select Another Kernel/i });
    await poll(`"${label}" in the kernel picker`, async () => {
      if (await wanted.count()) return true;
      if (await another.count()) await another.first().click();
      return false;
    });
    await wanted.first().click();
    await poll(`the kernel picker to show "${label}"`, async () => (await picker.innerText()).includes(label));
  }

  /** Clicks "Run All" in the notebook toolbar. */
  async runAll(): Promise<void> {
    const button = this.page.locator('.notebook-toolbar-container .action-item a.action-label').filter({ visible: true }).filter({ hasText: /^Run All$/ });
    if (await button.count()) await button.first().click();
    else await this.runCommand('Notebook: Run All');
  }

  /** Runs one cell with its run button, as a user hovering the cell would. */
  async runCell(index: number): Promise<void> {
    const cell = this.cell(index);
    await cell.scrollIntoViewIfNeeded();
    await cell.hover();
    await cell.locator('.run-button-container .codicon-notebook-execute').first().click({ timeout: UI_TIMEOUT_MS });
    await this.moveMouseAway();
  }

  /** Moves the pointer to empty space, so no tooltip covers the cells in the next screenshot. */
  private async moveMouseAway(): Promise<void> {
    const size = this.page.viewportSize();
    if (size) await this.page.mouse.move(size.width / 2, size.height - 120);
  }

  /** The `[n]` execution count shown beside a cell, or undefined while it has none. */
  async executionCount(index: number): Promise<number | undefined> {
    const label = this.cell(index).locator('.execution-count-label');
    if (!(await label.count())) return undefined;
    const match = /\[(\d+)\]/.exec(await label.first().innerText());
    return match ? Number(match[1]) : undefined;
  }

  /** Waits until a cell shows an execution count accepted by `accept`, and returns it. */
  async waitForExecutionCount(index: number, accept: (count: number) => boolean, what: string): Promise<number> {
    return poll(`cell ${index} to show ${what}`, async () => {
      const count = await this.executionCount(index);
      return count !== undefined && accept(count) ? count : undefined;
    }, KERNEL_TIMEOUT_MS);
  }

  /** Replaces a cell's source by typing into its editor. */
  async setCellSource(index: number, source: string): Promise<void> {
    const cell = this.cell(index);
    await cell.locator('.monaco-editor .view-lines').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(source);
    await poll(`cell ${index} to show its new source`, async () => (await this.cellSource(index)).replace(/\s+/g, ' ').trim() === source.replace(/\s+/g, ' ').trim());
  }

  async cellSource(index: number): Promise<string> {
    const lines = await this.cell(index).locator('.monaco-editor .view-line').allInnerTexts();
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  /** The notebook's output webview (all cells' outputs render in one iframe). */
  get outputs(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async waitForOutputText(text: string | RegExp, timeoutMs = KERNEL_TIMEOUT_MS): Promise<string> {
    return poll(`an output showing ${String(text)}`, async () => {
      const body = await this.outputs.locator('body').innerText({ timeout: 5_000 });
      return (typeof text === 'string' ? body.includes(text) : text.test(body)) ? body : undefined;
    }, timeoutMs);
  }

  /** The CodeLens texts above and inside a cell. */
  async codeLenses(index: number): Promise<string[]> {
    const texts = await this.cell(index).locator('.codelens-decoration').allInnerTexts();
    return texts.map((t) => t.trim()).filter(Boolean);
  }

  /** The items of a cell's status bar (below the cell). */
  async cellStatusItems(index: number): Promise<string[]> {
    const texts = await this.cell(index).locator('.cell-statusbar-container .cell-status-item').allInnerTexts();
    return texts.map((t) => t.trim()).filter(Boolean);
  }

  /** The workbench status bar's items. */
  async statusBarItems(): Promise<string[]> {
    const texts = await this.page.locator('.part.statusbar .statusbar-item').allInnerTexts();
    return texts.map((t) => t.trim()).filter(Boolean);
  }

  /** A word's token in a cell's editor (the first one, or the nth). */
  word(index: number, word: string, nth = 0): Locator {
    return this.cell(index).locator('.view-line span span').filter({ hasText: exactly(word) }).nth(nth);
  }

  /** Moves the mouse onto a word and returns the hover's text once `until` accepts it. */
  async hover(index: number, word: string, until: (text: string) => boolean = () => true): Promise<string> {
    const target = this.word(index, word);
    await this.cell(index).scrollIntoViewIfNeeded();
    const hover = this.page.locator('.monaco-hover .hover-contents').filter({ visible: true });
    return poll(`the hover over "${word}" in cell ${index}`, async () => {
      await this.page.mouse.move(0, 0);
      await target.hover();
      await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
      // Hover content can arrive in parts (a "Loading…" first): read it until it settles on what we want.
      for (let i = 0; i < 20; i++) {
        const text = (await hover.allInnerTexts()).join('\n');
        if (until(text)) return text;
        await new Promise((r) => setTimeout(r, 500));
      }
      return undefined;
    });
  }

  /** Puts the cursor on a word, right-clicks it and picks a context-menu item by its label. */
  async contextMenu(index: number, word: string, item: string): Promise<void> {
    const target = this.word(index, word);
    await target.click();
    await target.click({ button: 'right' });
    await this.chooseMenuItem(item);
  }

  /**
   * Chooses an item of the open context menu: pointing at it highlights it and Enter runs it (a
   * synthetic click on the item can leave code-server's menu open without running it).
   */
  private async chooseMenuItem(item: string): Promise<void> {
    const entry = this.page.locator('.monaco-menu .action-item .action-label').filter({ hasText: exactly(item) });
    await entry.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await entry.first().hover();
    await poll(`the menu item "${item}" to be highlighted`, async () => (await this.page.locator('.monaco-menu .action-item.focused .action-label').filter({ hasText: exactly(item) }).count()) > 0);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Clicks an action of a cell's toolbar by its title, looking in the toolbar's "…" overflow too. */
  async cellToolbarAction(index: number, title: string): Promise<void> {
    const cell = this.cell(index);
    await cell.hover();
    await cell.click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    const action = cell.locator('.cell-title-toolbar .action-label').filter({ visible: true });
    const byTitle = action.and(this.page.locator(`[aria-label="${title}"], [title="${title}"]`));
    if (await poll(`the cell toolbar of cell ${index}`, async () => (await action.count()) > 0 || undefined)) {
      if (await byTitle.count()) {
        await byTitle.first().click();
        return;
      }
    }
    await cell.locator('.cell-title-toolbar .codicon-toolbar-more').first().click();
    await this.chooseMenuItem(title);
  }

  // --- quick input ----------------------------------------------------------------------------

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget').filter({ visible: true });
  }

  /**
   * The labels (and detail lines) of the open quick pick's rows, once its title matches `title`
   * (one quick pick replacing another reuses the widget: the title tells them apart).
   */
  async quickPickLabels(title: RegExp): Promise<string[]> {
    return poll(`a quick pick titled ${String(title)}`, async () => {
      if (!(await this.quickInputOpen())) return undefined;
      const shown = await this.quickInput.locator('.quick-input-title').first().innerText();
      if (!title.test(shown)) return undefined;
      const labels = (await this.quickInput.locator('.monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
      return labels.length ? labels : undefined;
    });
  }

  /** Picks a row of the open quick pick by its label. */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exactly(label) : label }) });
    await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.first().click();
  }

  /**
   * The prompt, placeholder and title of the open input box (to know what it asks). Waits past the
   * command palette, which closes just before a command's own input box opens.
   */
  async inputBoxQuestion(): Promise<string> {
    const input = this.quickInput.locator('.quick-input-box input').first();
    await poll('an input box', async () => (await this.quickInputOpen()) && !(await input.inputValue()).startsWith('>'));
    const parts = [
      await this.quickInput.locator('.quick-input-title').first().innerText().catch(() => ''),
      (await input.getAttribute('placeholder')) ?? '',
      (await input.getAttribute('aria-label')) ?? '',
      await this.quickInput.locator('.quick-input-message').first().innerText().catch(() => ''),
    ];
    return parts.filter(Boolean).join(' | ');
  }

  async inputBoxValue(): Promise<string> {
    return this.quickInput.locator('.quick-input-box input').first().inputValue();
  }

  /** Types an answer into the open input box and accepts it. */
  async answer(value: string): Promise<void> {
    const input = this.quickInput.locator('.quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(value);
    await input.press('Enter');
  }

  /**
   * Answers the open input box, then waits until it closes or asks something else (it stays on
   * screen a moment after Enter, and must not be read as the next question).
   */
  async answerAndMoveOn(value: string): Promise<void> {
    const question = await this.inputBoxQuestion();
    await this.answer(value);
    await poll(`the input box "${question}" to close or move on`, async () => {
      if (!(await this.quickInputOpen())) return true;
      return (await this.inputBoxQuestion().catch(() => question)) !== question;
    }).catch(() => undefined);
  }

  async quickInputOpen(): Promise<boolean> {
    return (await this.quickInput.count()) > 0;
  }

  /** Opens the command palette with `>query` typed in, and returns the labels it lists. */
  async paletteLabels(query: string): Promise<string[]> {
    await this.openPalette(query);
    const labels = await poll(`palette results for "${query}"`, async () => {
      const found = await this.quickInput.locator('.monaco-list-row .label-name').allInnerTexts();
      return found.length ? found.map((l) => l.trim()) : undefined;
    });
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Opens the command palette with `>query` typed in and leaves it open. */
  async showPalette(query: string): Promise<void> {
    await this.openPalette(query);
    await this.quickInput.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  }

  private async openPalette(query: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('.quick-input-box input').first();
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${query}`);
  }

  /** Runs a command from the palette by its exact title. */
  async runCommand(title: string): Promise<void> {
    await this.openPalette(title);
    const row = this.quickInput.locator('.monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) });
    await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.first().click();
  }

  // --- feedback -------------------------------------------------------------------------------

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return texts.map((t) => t.trim()).filter(Boolean);
  }

  /** Saves the active editor with Ctrl+S, as a user would. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
  }

  /** The extension's log file ("nbprov" log output channel) under the user-data-dir, if written. */
  logFile(channel = 'nbprov'): string | undefined {
    const logs = path.join(this.userDataDir, 'logs');
    if (!existsSync(logs)) return undefined;
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name === `${channel}.log` && full.includes(`${path.sep}exthost`)) found.push(full);
      }
    };
    walk(logs);
    return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  }

  logText(channel = 'nbprov'): string {
    const file = this.logFile(channel);
    return file ? readFileSync(file, 'utf8') : '';
  }
}
