// Streams one 200 KB block that never closes into the panel, in deltas of DELTA_CHARS, one per
// frame, and compares main-thread time per character over the first and last WINDOW_CHARS: a
// renderer whose cost per character is flat scores ~1, one that re-renders the open block whole
// scores ~(block size / window). Also reports the longest main-thread task of the whole run.
import type { CDPSession } from 'playwright-core';
import type { LaunchedBrowser } from '../../test/browser/harness/browser';
import { assistantMessage, init, userMessage } from '../../test/browser/harness/hostMessages';
import type { TestServer } from '../../test/browser/harness/server';
import { WebviewPage } from '../../test/browser/harness/webviewPage';
import { longestTaskMs } from './longTasks';
import { deltas } from './singleBlocks';

const DELTA_CHARS = 48;
const WINDOW_CHARS = 16 * 1024;
const WARM_UP_CHARS = 32 * 1024;

export interface SingleBlockResult {
  earlyMsPerKChar: number;
  lateMsPerKChar: number;
  lateOverEarly: number;
  longestTaskMs: number;
}

const PAGE_SCRIPT = `
window.__single = {
  deltas: [],
  nextFrame() { return new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))); },
  async stream(messageId, from, to) {
    for (let i = from; i < to; i++) {
      window.__hearth.deliver({ type: 'delta', messageId, text: this.deltas[i] });
      await this.nextFrame();
    }
  },
};
`;

type SinglePage = { __single: { deltas: string[]; stream(id: string, from: number, to: number): Promise<void> } };

async function threadSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

export async function measureSingleBlock(browser: LaunchedBrowser, server: TestServer, text: string): Promise<SingleBlockResult> {
  const view = await WebviewPage.open(browser, server);
  try {
    const page = view.page;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.evaluate(PAGE_SCRIPT);
    const all = deltas(text, DELTA_CHARS);
    await page.evaluate((d) => ((window as unknown as SinglePage).__single.deltas = d), all);
    const stream = (id: string, from: number, to: number) =>
      page.evaluate(([i, f, t]) => (window as unknown as SinglePage).__single.stream(i, f, t), [id, from, to] as const);
    const finish = async (id: string) => {
      await view.deliver({ type: 'messageDone', messageId: id, status: 'complete' });
      await page.locator(`.message[data-id="${id}"][data-status="complete"]`).waitFor();
    };

    // Warm-up: the same shape through both the formatted and the plain-text paths, so JIT
    // compilation does not inflate the early window.
    await view.deliver(init([userMessage('u', 'Warm up')], { generating: true }), {
      type: 'messageAdded',
      message: assistantMessage('warm-up', '', 'streaming'),
    });
    await stream('warm-up', 0, Math.ceil(WARM_UP_CHARS / DELTA_CHARS));
    await finish('warm-up');
    await view.deliver({ type: 'messageAdded', message: assistantMessage('bench', '', 'streaming') });

    const window = Math.ceil(WINDOW_CHARS / DELTA_CHARS);
    let early = 0;
    let late = 0;
    const longest = await longestTaskMs(cdp, async () => {
      const t0 = await threadSeconds(cdp);
      await stream('bench', 0, window);
      const t1 = await threadSeconds(cdp);
      await stream('bench', window, all.length - window);
      const t2 = await threadSeconds(cdp);
      await stream('bench', all.length - window, all.length);
      const t3 = await threadSeconds(cdp);
      early = t1 - t0;
      late = t3 - t2;
      await finish('bench');
    });
    const chars = (from: number, to: number) => all.slice(from, to).join('').length / 1024;
    const earlyMsPerKChar = (early * 1000) / chars(0, window);
    const lateMsPerKChar = (late * 1000) / chars(all.length - window, all.length);
    return { earlyMsPerKChar, lateMsPerKChar, lateOverEarly: lateMsPerKChar / earlyMsPerKChar, longestTaskMs: longest };
  } finally {
    await view.close();
  }
}
