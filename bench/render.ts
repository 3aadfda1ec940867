// Render benchmark for the chat webview, in Chromium (npm run bench:render).
// 1. Streams a 20,000-token markdown answer with code blocks, one delta per frame, each delta
//    posted once the page has rendered the previous one (frame-rate limit off, so frames run
//    back to back). Main-thread time (CDP TaskDuration, counted in thread CPU time so other
//    load on the machine does not skew it) is compared over the first and last 1,000 tokens:
//    an incremental renderer costs the same per token late as early. A short warm-up answer
//    first keeps JIT compilation out of the early window.
// 2. The same for a naive renderer that re-renders the whole message on every delta (shorter
//    windows: it is slow).
// 3. Builds a 200-message conversation and counts DOM elements.
// 4. Streams each shape of a single 200 KB block that never closes (bench/render/singleBlocks.ts)
//    and prints its late/early cost per character and the longest main-thread task; the median
//    over `--rounds N` (default 1). `--single-only` runs just these.
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../test/browser/harness/browser';
import { buildWebview, bundleSnippet } from '../test/browser/harness/buildWebview';
import { assistantMessage, init, userMessage } from '../test/browser/harness/hostMessages';
import { startServer, type TestServer } from '../test/browser/harness/server';
import { WebviewPage } from '../test/browser/harness/webviewPage';
import { measureSingleBlock, type SingleBlockResult } from './render/singleBlockBench';
import { SINGLE_BLOCKS } from './render/singleBlocks';

const TOKENS = 20_000;
const WINDOW = 1_000;
const NAIVE_WINDOW = 100;
const WARM_UP_TOKENS = 1_000;

/** A long, realistic answer: prose, lists, tables and code in several languages. */
function syntheticAnswer(): string[] {
  const sections: string[] = [];
  for (let i = 0; sections.join('').length < 110_000; i++) {
    sections.push(
      `## Step ${i}: refactor the \`module${i}\` service\n\n` +
        `First we look at **why** the current design is slow: every call to \`load${i}()\` reads the whole file, ` +
        `parses it and then throws most of it away. See [the docs](https://example.com/docs/${i}) for details.\n\n` +
        `- keep a cache keyed by path\n- invalidate it on change\n- measure before and after\n\n` +
        '```ts\n' +
        `export async function load${i}(path: string, signal: AbortSignal): Promise<Config> {\n` +
        `  const cached = cache.get(path);\n  if (cached) return cached;\n` +
        `  const text = await readFile(path, { encoding: 'utf8', signal });\n` +
        `  const config = parseConfig(text);\n  cache.set(path, config);\n  return config;\n}\n` +
        '```\n\n' +
        (i % 3 === 0
          ? `| metric | before | after |\n|---|---:|---:|\n| p50 | ${i + 12} ms | ${i + 3} ms |\n| p99 | ${i + 90} ms | ${i + 9} ms |\n\n`
          : '') +
        (i % 4 === 1 ? '```python\n' + `def step_${i}(items):\n    return [x * 2 for x in items if x % 2 == 0]\n` + '```\n\n' : '') +
        `> Note: this keeps memory bounded because entries expire after ${i + 1} minutes.\n\n`,
    );
  }
  // Roughly what a BPE tokenizer does: words, split into pieces of at most 4 characters.
  const words = sections.join('').match(/\s*\S+|\s+/g) ?? [];
  const tokens = words.flatMap((w) => w.match(/\s*\S{1,4}|\S{1,4}|\s+/g) ?? [w]);
  return tokens.slice(0, TOKENS);
}

/** Installed in the page: streams tokens one per frame to the app or to the naive renderer. */
const BENCH_PAGE_SCRIPT = `
window.__bench = {
  tokens: [],
  naiveText: '',
  naiveTarget: null,
  nextFrame() { return new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))); },
  async streamApp(from, to, messageId) {
    for (let i = from; i < to; i++) {
      window.__hearth.deliver({ type: 'delta', messageId: messageId || 'bench', text: this.tokens[i] });
      await this.nextFrame();
    }
  },
  async streamNaive(from, to) {
    if (!this.naiveTarget) {
      this.naiveTarget = document.querySelector('.message[data-id="naive"] .message-body');
    }
    for (let i = from; i < to; i++) {
      this.naiveText += this.tokens[i];
      const text = this.naiveText;
      const target = this.naiveTarget;
      requestAnimationFrame(() => target.replaceChildren(window.__naiveRender(text)));
      await this.nextFrame();
    }
  },
  async skipNaive(to) {
    this.naiveText = this.tokens.slice(0, to).join('');
    this.naiveTarget.replaceChildren(window.__naiveRender(this.naiveText));
    await this.nextFrame();
  },
};
`;

function naiveRendererSource(): Promise<string> {
  return bundleSnippet(
    "import { renderMarkdown } from './src/webview/markdown/renderMarkdown';\n" +
      '(window as unknown as { __naiveRender: typeof renderMarkdown }).__naiveRender = renderMarkdown;',
  );
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

interface Segment {
  mainThreadMs: number;
  wallMs: number;
}

async function measure(cdp: CDPSession, page: Page, run: () => Promise<unknown>): Promise<Segment> {
  const task0 = await taskSeconds(cdp);
  const wall0 = performance.now();
  await run();
  const wallMs = performance.now() - wall0;
  const task1 = await taskSeconds(cdp);
  void page;
  return { mainThreadMs: (task1 - task0) * 1000, wallMs };
}

async function settle(page: Page): Promise<void> {
  // Two frames: intersection observers report, then the virtualizer runs.
  for (let i = 0; i < 4; i++) await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface SingleBlockSummary {
  singleBlockWorstRatio: number;
  longestTaskMs: number;
}

/** Every single-block case, `rounds` times (cases interleaved), medians per case. */
async function runSingleBlocks(browser: LaunchedBrowser, server: TestServer, rounds: number): Promise<SingleBlockSummary> {
  const results = new Map<string, SingleBlockResult[]>();
  const texts = Object.entries(SINGLE_BLOCKS).map(([name, make]) => [name, make()] as const);
  for (let round = 0; round < rounds; round++) {
    for (const [name, text] of texts) {
      const result = await measureSingleBlock(browser, server, text);
      results.set(name, [...(results.get(name) ?? []), result]);
      console.log(
        `round ${round + 1} ${name.padEnd(22)} late/early ${result.lateOverEarly.toFixed(2)}  ` +
          `(${result.earlyMsPerKChar.toFixed(2)} -> ${result.lateMsPerKChar.toFixed(2)} ms per 1k chars)  longest task ${result.longestTaskMs.toFixed(1)} ms`,
      );
    }
  }
  console.log(`Single growing block, ${Object.keys(SINGLE_BLOCKS).length} shapes x 200 KB, median of ${rounds} round(s):`);
  let worstRatio = 0;
  let longest = 0;
  for (const [name, list] of results) {
    const ratio = median(list.map((r) => r.lateOverEarly));
    const task = median(list.map((r) => r.longestTaskMs));
    worstRatio = Math.max(worstRatio, ratio);
    longest = Math.max(longest, task);
    console.log(`  ${name.padEnd(24)} late/early per char ${ratio.toFixed(2)}   longest task ${task.toFixed(1)} ms`);
  }
  console.log('  targets: late/early <= 1.5, longest task <= 50 ms for every shape');
  return { singleBlockWorstRatio: Number(worstRatio.toFixed(3)), longestTaskMs: Number(longest.toFixed(1)) };
}

function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index === -1 ? NaN : Number(process.argv[index + 1]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const rounds = numberArg('--rounds', 1);
  if (process.argv.includes('--single-only')) {
    const server = await startServer(await buildWebview());
    const browser = await launchBrowser(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
    try {
      console.log(JSON.stringify(await runSingleBlocks(browser, server, rounds)));
    } finally {
      await browser.close();
      await server.close();
    }
    return;
  }
  const tokens = syntheticAnswer();
  const bytes = tokens.join('').length;
  const server = await startServer(await buildWebview());
  const browser = await launchBrowser(['--disable-frame-rate-limit', '--disable-gpu-vsync']);
  try {
    // 1 + 2: streaming, incremental app vs naive baseline.
    const view = await WebviewPage.open(browser, server);
    const page = view.page;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.evaluate(BENCH_PAGE_SCRIPT);
    await page.evaluate(await naiveRendererSource());
    await page.evaluate((all) => {
      (window as unknown as { __bench: { tokens: string[] } }).__bench.tokens = all;
    }, tokens);
    type Bench = { __bench: Record<string, (from: number, to: number, messageId?: string) => Promise<void>> };
    const stream = (name: string, from: number, to = 0, messageId = 'bench') =>
      page.evaluate(([n, f, t, id]) => (window as unknown as Bench).__bench[n](f, t, id), [name, from, to, messageId] as const);

    await view.deliver(init([userMessage('u', 'Warm up')], { generating: true }), {
      type: 'messageAdded',
      message: assistantMessage('warm-up', '', 'streaming'),
    });
    await stream('streamApp', 0, WARM_UP_TOKENS, 'warm-up');
    await view.deliver(
      { type: 'messageDone', messageId: 'warm-up', status: 'complete' },
      { type: 'messageAdded', message: userMessage('u2', 'Write a long answer') },
      { type: 'messageAdded', message: assistantMessage('bench', '', 'streaming') },
    );
    await settle(page);

    const early = await measure(cdp, page, () => stream('streamApp', 0, WINDOW));
    const middle = await measure(cdp, page, () => stream('streamApp', WINDOW, TOKENS - WINDOW));
    const late = await measure(cdp, page, () => stream('streamApp', TOKENS - WINDOW, TOKENS));
    await view.deliver({ type: 'messageDone', messageId: 'bench', status: 'complete' }, { type: 'generating', generating: false });
    const rendered = await page.locator('.message[data-id="bench"] .message-body').evaluate((el) => el.querySelectorAll('pre').length);

    await view.deliver({ type: 'messageAdded', message: assistantMessage('naive', '', 'complete') });
    await settle(page);
    await stream('streamNaive', 0, WINDOW - NAIVE_WINDOW);
    const naiveEarly = await measure(cdp, page, () => stream('streamNaive', WINDOW - NAIVE_WINDOW, WINDOW));
    await stream('skipNaive', TOKENS - NAIVE_WINDOW);
    const naiveLate = await measure(cdp, page, () => stream('streamNaive', TOKENS - NAIVE_WINDOW, TOKENS));
    await view.close();

    // 3: DOM size of a 200-message conversation, loaded at once and grown message by message.
    const messages = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? userMessage(`m${i}`, `Question ${i}: how do I make load${i}() faster?`)
        : assistantMessage(`m${i}`, tokens.slice(i * 60, i * 60 + 120).join('') + '\n\n```ts\nconst x = 1;\n```'),
    );
    const loaded = await WebviewPage.open(browser, server);
    await loaded.deliver(init(messages));
    await settle(loaded.page);
    const domLoaded = await loaded.page.evaluate(() => document.querySelectorAll('*').length);
    await loaded.close();

    const grown = await WebviewPage.open(browser, server);
    await grown.deliver(init([]));
    for (const message of messages) {
      await grown.deliver({ type: 'messageAdded', message });
      await settle(grown.page);
    }
    const domGrown = await grown.page.evaluate(() => document.querySelectorAll('*').length);
    await grown.close();

    const perToken = (s: Segment, n: number) => s.mainThreadMs / n;
    const lateOverEarly = perToken(late, WINDOW) / perToken(early, WINDOW);
    const naiveLateOverEarly = perToken(naiveLate, NAIVE_WINDOW) / perToken(naiveEarly, NAIVE_WINDOW);
    const naiveOverApp = perToken(naiveLate, NAIVE_WINDOW) / perToken(late, WINDOW);
    const totalMainMs = early.mainThreadMs + middle.mainThreadMs + late.mainThreadMs;
    const totalWallMs = early.wallMs + middle.wallMs + late.wallMs;
    const msPer1kTokens = totalMainMs / (TOKENS / 1000);
    const domNodes200 = Math.max(domLoaded, domGrown);

    const row = (name: string, value: string) => console.log(`${name.padEnd(52)} ${value}`);
    console.log(`Answer: ${TOKENS} tokens, ${(bytes / 1024).toFixed(1)} KB, ${rendered} code blocks; one delta per frame`);
    row('app: main thread per token, first 1,000 tokens', `${perToken(early, WINDOW).toFixed(3)} ms`);
    row('app: main thread per token, last 1,000 tokens', `${perToken(late, WINDOW).toFixed(3)} ms`);
    row('app: late / early per token', lateOverEarly.toFixed(2));
    row('app: main thread, whole answer', `${totalMainMs.toFixed(0)} ms (${msPer1kTokens.toFixed(1)} ms per 1k tokens)`);
    row('app: wall time, whole answer', `${(totalWallMs / 1000).toFixed(1)} s`);
    row(`naive (re-render all): per token, tokens ${WINDOW - NAIVE_WINDOW}-${WINDOW}`, `${perToken(naiveEarly, NAIVE_WINDOW).toFixed(3)} ms`);
    row(`naive (re-render all): per token, last ${NAIVE_WINDOW}`, `${perToken(naiveLate, NAIVE_WINDOW).toFixed(3)} ms`);
    row('naive: late / early per token', naiveLateOverEarly.toFixed(2));
    row('naive late per token / app late per token', naiveOverApp.toFixed(1));
    row('DOM elements, 200 messages loaded by init', String(domLoaded));
    row('DOM elements, 200 messages added one by one', String(domGrown));
    row('targets', 'lateOverEarlyPerToken <= 1.5, domNodes200 < 5000');
    const single = await runSingleBlocks(browser, server, rounds);
    console.log(
      JSON.stringify({
        lateOverEarlyPerToken: Number(lateOverEarly.toFixed(3)),
        msPer1kTokens: Number(msPer1kTokens.toFixed(1)),
        domNodes200,
        naiveLateOverEarlyPerToken: Number(naiveLateOverEarly.toFixed(3)),
        naiveLateOverAppLate: Number(naiveOverApp.toFixed(2)),
        ...single,
      }),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
