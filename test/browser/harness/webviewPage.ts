// One loaded test page: deliver host messages, read what the webview posted, watch the network.
import type { Page } from 'playwright-core';
import { WebviewToHostSchema, type HostToWebview, type WebviewToHost } from '../../../src/protocol/webviewMessages';
import type { LaunchedBrowser } from './browser';
import type { PageOptions, TestServer } from './server';

interface HearthTestDouble {
  posted: WebviewToHost[];
  pwned: string[];
  deliver(message: HostToWebview): void;
  deliverEachFrame(messages: HostToWebview[]): Promise<void>;
  waitForPosted(type: string, from: number): Promise<WebviewToHost>;
  getState(): unknown;
}

declare global {
  interface Window {
    __hearth: HearthTestDouble;
  }
}

export class WebviewPage {
  /** Every URL the page asked for, in order. */
  readonly requests: string[] = [];
  readonly pageErrors: string[] = [];
  /** console.error lines, CSP violations among them. */
  readonly consoleErrors: string[] = [];
  readonly dialogs: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly origin: string,
  ) {}

  static async open(browser: LaunchedBrowser, server: TestServer, options: PageOptions = { csp: true }): Promise<WebviewPage> {
    const page = await browser.context.newPage();
    const view = new WebviewPage(page, server.origin);
    page.on('request', (request) => view.requests.push(request.url()));
    page.on('pageerror', (error) => view.pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') view.consoleErrors.push(message.text());
    });
    page.on('dialog', (dialog) => {
      view.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // Nothing may leave the machine: anything not from the test server is refused.
    await page.route('**/*', (route) =>
      route.request().url().startsWith(server.origin) ? route.continue() : route.abort('blockedbyclient'),
    );
    await page.goto(server.pageUrl(options));
    await view.waitForPosted('ready', 0);
    return view;
  }

  /** Requests for anything but the page's own files. */
  foreignRequests(): string[] {
    return this.requests.filter((url) => !url.startsWith(`${this.origin}/`));
  }

  deliver(...messages: HostToWebview[]): Promise<void> {
    return this.page.evaluate((all) => all.forEach((m) => window.__hearth.deliver(m)), messages);
  }

  deliverEachFrame(messages: HostToWebview[]): Promise<void> {
    return this.page.evaluate((all) => window.__hearth.deliverEachFrame(all), messages);
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => window.__hearth.posted);
  }

  async postedCount(): Promise<number> {
    return (await this.posted()).length;
  }

  async waitForPosted<T extends WebviewToHost['type']>(type: T, from: number): Promise<Extract<WebviewToHost, { type: T }>> {
    const raw = await this.page.evaluate(([t, f]) => window.__hearth.waitForPosted(t, f), [type, from] as const);
    // The host validates with this schema too: a message it would reject fails the test here.
    const message = WebviewToHostSchema.parse(raw);
    if (message.type !== type) throw new Error(`expected a '${type}' message, got '${message.type}'`);
    return message as Extract<WebviewToHost, { type: T }>;
  }

  /** Runs `action` and returns the first message of `type` it made the page post. */
  async expectPost<T extends WebviewToHost['type']>(type: T, action: () => Promise<unknown>): Promise<Extract<WebviewToHost, { type: T }>> {
    const from = await this.postedCount();
    await action();
    return this.waitForPosted(type, from);
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
