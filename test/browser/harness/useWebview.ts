// Mocha wiring shared by the browser suites: one server and browser per file, a fresh page per test.
import * as assert from 'node:assert/strict';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { buildWebview } from './buildWebview';
import { startServer, type PageOptions, type TestServer } from './server';
import { WebviewPage } from './webviewPage';

export interface WebviewFixture {
  readonly view: WebviewPage;
}

export function useWebview(options: PageOptions = { csp: true }): WebviewFixture {
  let server: TestServer | undefined;
  let browser: LaunchedBrowser | undefined;
  let view: WebviewPage | undefined;

  before(async function () {
    this.timeout(120_000);
    server = await startServer(await buildWebview());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    if (!browser || !server) throw new Error('browser harness did not start');
    view = await WebviewPage.open(browser, server, options);
  });
  afterEach(async () => {
    const current = view;
    view = undefined;
    if (!current) return;
    await current.close();
    assert.deepEqual(current.pageErrors, [], 'the page threw');
    assert.deepEqual(current.foreignRequests(), [], 'the page requested something other than its own files');
  });

  return {
    get view(): WebviewPage {
      if (!view) throw new Error('no page: use the fixture inside a test');
      return view;
    },
  };
}
