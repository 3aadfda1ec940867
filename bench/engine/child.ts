// One side of the engine benchmark in its own process (so peak RSS is that side's alone).
// Prints one line: RESULT <SideResult JSON>.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openHearth } from './hearthSide';
import { openTransformersJs } from './transformersSide';
import type { BenchPrompts, SideResult } from './types';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { side: { type: 'string' }, model: { type: 'string' }, dtype: { type: 'string' }, prompts: { type: 'string' }, threads: { type: 'string' }, tokens: { type: 'string' } },
  });
  const side = values.side === 'hearth' ? 'hearth' : 'transformersjs';
  const dtype = values.dtype === 'q4' ? 'q4' : 'fp32';
  if (!values.model || !values.prompts) throw new Error('child.ts needs --model and --prompts');
  const prompts = JSON.parse(readFileSync(values.prompts, 'utf8')) as BenchPrompts;
  const threads = Number(values.threads ?? 2);
  const decodeTokens = Number(values.tokens ?? 64);
  const log = (s: string): void => void process.stderr.write(`  [${side}] ${s}\n`);

  const loadStart = performance.now();
  const bench = side === 'hearth' ? await openHearth(values.model, dtype, threads) : await openTransformersJs(values.model, dtype, threads);
  const loadMs = performance.now() - loadStart;
  log(`loaded in ${(loadMs / 1000).toFixed(1)} s`);

  await bench.answer([{ role: 'user', content: 'Warm up.' }], 4, undefined);
  const p200 = await bench.answer(prompts.prompt200, decodeTokens, undefined);
  log(`200-token prompt (${p200.promptTokens}): first token ${p200.ttftMs.toFixed(0)} ms, ${p200.decodeTokensPerSecond.toFixed(1)} tok/s`);
  const p1000 = await bench.answer(prompts.prompt1000, decodeTokens, undefined);
  log(`1000-token prompt (${p1000.promptTokens}): first token ${p1000.ttftMs.toFixed(0)} ms, ${p1000.decodeTokensPerSecond.toFixed(1)} tok/s`);
  const turn1 = await bench.answer(prompts.conversation, 16, 'bench-conversation');
  const followUp = [...prompts.conversation, { role: 'assistant' as const, content: turn1.text }, prompts.followUp];
  const turn2 = await bench.answer(followUp, 8, 'bench-conversation');
  log(`follow-up turn (${turn2.promptTokens} tokens, ${turn2.cachedTokens} cached): first token ${turn2.ttftMs.toFixed(0)} ms`);
  await bench.dispose();

  const result: SideResult = {
    side,
    loadMs,
    ttft200Ms: p200.ttftMs,
    decode200: p200.decodeTokensPerSecond,
    ttft1000Ms: p1000.ttftMs,
    decode1000: p1000.decodeTokensPerSecond,
    conversationTokens: turn2.promptTokens,
    followupTtftMs: turn2.ttftMs,
    followupCachedTokens: turn2.cachedTokens,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
