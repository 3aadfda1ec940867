// The mocha hooks every e2e suite on the fake OpenAI-compatible server repeats: open the workbench with the
// packaged Hearth, show its panel, report a failure with a screenshot, close everything at the end.
import { expect } from '@playwright/test';
import type { FrameLocator } from 'playwright-core';
import type { FakeOpenAiServer } from '../../support/fakeOpenAiServer';
import { openHearthView, openWorkbenchOnFakeOpenAi, reportFailure, type Workbench } from './workbench';

export interface FakeOpenAiWorkbench {
  readonly server: FakeOpenAiServer;
  readonly workbench: Workbench;
  /** The Hearth panel's document, shown once by `before`. */
  readonly view: FrameLocator;
}

export interface WorkbenchHookOptions {
  /** Runs before the Hearth panel is first shown (e.g. to listen to the page's console from the start). */
  beforeShow?(workbench: Workbench): void;
}

export function useFakeOpenAiWorkbench(options: WorkbenchHookOptions = {}): FakeOpenAiWorkbench {
  let server: FakeOpenAiServer | undefined;
  let workbench: Workbench | undefined;
  let view: FrameLocator | undefined;

  before(async function () {
    // First run: packages the VSIX and may install code-server into .vscode-test/ (minutes).
    this.timeout(15 * 60_000);
    ({ server, workbench } = await openWorkbenchOnFakeOpenAi());
    options.beforeShow?.(workbench);
    view = await openHearthView(workbench.page);
    // The workbench and its webview load slowly on a busy 2-core machine.
    await expect(view.locator('#prompt')).toBeVisible({ timeout: 30_000 });
  });
  afterEach(async function () {
    await reportFailure(workbench, this.currentTest?.state);
  });
  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e workbench did not start: use it inside a test');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get workbench() {
      return started(workbench);
    },
    get view() {
      return started(view);
    },
  };
}
