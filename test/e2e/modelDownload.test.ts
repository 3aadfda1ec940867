// Download Model… in a real VS Code and browser: the command palette, the catalog quick pick, the
// progress notification and its Cancel, a second download that resumes, and the answer in the panel,
// after a window reload too.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { FrameLocator } from 'playwright-core';
import { freshVsix } from '../../scripts/lib/freshVsix';
import { ensureModel } from '../../models/testModels';
import { type FakeHub, repoFromFolder, startFakeHub } from '../support/fakeHub';
import { showHearth } from './support/activityBar';
import { openHearthView, openWorkbench, reportFailure, type Workbench } from './support/workbench';

const patient = expect.configure({ timeout: 30_000 });
const WEIGHTS = 'onnx/model_q4.onnx';

describe('Download Model… in VS Code (e2e)', function () {
  let hub: FakeHub;
  let workbench: Workbench;
  let view: FrameLocator;

  before(async function () {
    this.timeout(15 * 60_000);
    hub = await startFakeHub();
    hub.addRepo(repoFromFolder('onnx-community/Qwen2.5-0.5B-Instruct', await ensureModel('demo-tjs'), { rename: { 'onnx/model.onnx': WEIGHTS } }));
    workbench = await openWorkbench(await freshVsix(), {
      'hearth.provider': 'local',
      'hearth.hub.endpoint': hub.url,
      'hearth.local.modelsDir': join(process.env.TMPDIR ?? '/tmp', `hearth-e2e-models-${process.pid}`),
    });
    view = await openHearthView(workbench.page);
    await patient(view.locator('#prompt')).toBeVisible();
  });
  afterEach(async function () {
    await reportFailure(workbench, this.currentTest?.state);
  });
  after(async () => {
    await workbench?.close();
    await hub?.close();
  });

  async function downloadFromPalette(): Promise<void> {
    const page = workbench.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await patient(input).toBeVisible();
    await input.fill('>Hearth: Download Model');
    await patient(page.locator('.quick-input-list .monaco-list-row', { hasText: 'Download Model' }).first()).toBeVisible();
    await input.press('Enter');
    await patient(page.locator('.quick-input-list .monaco-list-row', { hasText: 'Qwen2.5 0.5B Instruct' }).first()).toBeVisible();
    await input.fill('Qwen2.5 0.5B Instruct');
    await input.press('Enter');
  }

  const toast = (text: string) => workbench.page.locator('.notifications-toasts .notification-toast', { hasText: text });

  it('shows progress with Cancel; a second download resumes and the model answers in the panel', async function () {
    this.timeout(180_000);
    hub.faults.hold = { path: WEIGHTS, afterBytes: 300_000 };
    await downloadFromPalette();
    await hub.whenHeld();
    const progress = toast('downloading Qwen2.5 0.5B Instruct');
    await patient(progress).toBeVisible();
    await patient(progress).toContainText(/of [\d.]+ (kB|MB)/);
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await patient(toast('stopped')).toBeVisible();

    hub.release();
    await downloadFromPalette();
    await patient(toast('is ready')).toBeVisible();
    const ranged = hub.cdn.requests.map((r) => r.headers.range).filter(Boolean);
    assert.equal(ranged.length, 1, `resumed once: ${JSON.stringify(ranged)}`);

    const prompt = view.locator('#prompt');
    await prompt.fill('Hello, downloaded model');
    await prompt.press('Enter');
    const answer = view.locator('#messages .message[data-role="assistant"]').last();
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
    await expect(answer.locator('.message-body')).toContainText('Hearth');
    await expect(view.locator('#model-picker')).toHaveAttribute('data-model', /^onnx-community--Qwen2\.5-0\.5B-Instruct@[0-9a-f]{12}$/);
  });

  it('still answers with the downloaded model after a window reload, without downloading again', async function () {
    this.timeout(180_000);
    const blobs = hub.cdn.requests.length;
    await workbench.page.reload();
    await expect(workbench.page.locator('.monaco-workbench')).toBeVisible({ timeout: 60_000 });
    view = await showHearth(workbench.page);
    await patient(view.locator('#model-picker')).toHaveAttribute('data-model', /^onnx-community--Qwen2\.5-0\.5B-Instruct@[0-9a-f]{12}$/);
    const prompt = view.locator('#prompt');
    await prompt.fill('And after a reload?');
    await prompt.press('Enter');
    const answer = view.locator('#messages .message[data-role="assistant"]').last();
    await expect(answer).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
    await expect(answer.locator('.message-body')).toContainText('Hearth');
    assert.equal(hub.cdn.requests.length, blobs, 'nothing was downloaded again');
  });
});
