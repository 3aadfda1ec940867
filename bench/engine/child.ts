// One side of the engine benchmark in its own process (so peak RSS is that side's alone).
// Prints one line: RESULT <SideResult JSON>. With --repeat N each measurement is taken N times
// and the best kept (shared machines are noisy; the best run is the least disturbed one).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { AnswerTiming, BenchPrompts, SideResult } from './types';

function best(runs: AnswerTiming[]): AnswerTiming {
  return {
    ...runs[0],
    ttftMs: Math.min(...runs.map((r) => r.ttftMs)),
    decodeTokensPerSecond: Math.max(...runs.map((r) => r.decodeTokensPerSecond)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      side: { type: 'string' },
      model: { type: 'string' },
      dtype: { type: 'string' },
      prompts: { type: 'string' },
      threads: { type: 'string' },
      tokens: { type: 'string' },
      repeat: { type: 'string' },
      spinning: { type: 'boolean' },
      /** Hearth's int4Compute (default: as the model says). */
      int4: { type: 'string' },
      /** Profile with onnxruntime into <prefix>_<date>.json: warm up, answer one prompt, exit. */
      profile: { type: 'string' },
      'profile-prompt': { type: 'string' },
    },
  });
  const side = values.side === 'hearth' ? 'hearth' : 'transformersjs';
  const dtype = values.dtype === 'q4' ? 'q4' : 'fp32';
  if (!values.model || !values.prompts) throw new Error('child.ts needs --model and --prompts');
  const prompts = JSON.parse(readFileSync(values.prompts, 'utf8')) as BenchPrompts;
  const threads = Number(values.threads ?? 2);
  const decodeTokens = Number(values.tokens ?? 64);
  const repeat = Math.max(1, Number(values.repeat ?? 1));
  const rss = (): string => `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
  const log = (s: string): void => void process.stderr.write(`  [${side}] ${s} (${rss()})\n`);

  const loadStart = performance.now();
  // Import only this side's code: the other side's libraries would add to this process's RSS
  // (@huggingface/transformers alone loads ~100 MB: its own onnxruntime binding, sharp, ...).
  const bench =
    side === 'hearth'
      ? await (await import('./hearthSide')).openHearth(values.model, dtype, {
          threads,
          allowSpinning: values.spinning ?? false,
          int4Compute: values.int4 === 'int8' || values.int4 === 'fp32' || values.int4 === 'auto' ? values.int4 : 'model',
          profileFilePrefix: values.profile,
        })
      : await (await import('./transformersSide')).openTransformersJs(values.model, dtype, threads, values.profile);
  const loadMs = performance.now() - loadStart;
  log(`loaded in ${(loadMs / 1000).toFixed(1)} s`);
  if (values.profile) {
    await bench.answer([{ role: 'user', content: 'Warm up.' }], 4, undefined);
    const messages = values['profile-prompt'] === '1000' ? prompts.prompt1000 : prompts.prompt200;
    const answer = await bench.answer(messages, decodeTokens, undefined);
    log(`${answer.promptTokens}-token prompt, profiled: ${answer.decodeTokensPerSecond.toFixed(1)} tok/s`);
    // Releasing the session is what writes the profile file.
    await bench.dispose();
    process.stdout.write(`PROFILED ${JSON.stringify({ decodeTokensPerSecond: answer.decodeTokensPerSecond })}\n`);
    return;
  }
  const measure = async (run: (i: number) => Promise<AnswerTiming>): Promise<AnswerTiming> => {
    const runs: AnswerTiming[] = [];
    for (let i = 0; i < repeat; i++) runs.push(await run(i));
    return best(runs);
  };

  await bench.answer([{ role: 'user', content: 'Warm up.' }], 4, undefined);
  const p200 = await measure(() => bench.answer(prompts.prompt200, decodeTokens, undefined));
  log(`200-token prompt (${p200.promptTokens}): first token ${p200.ttftMs.toFixed(0)} ms, ${p200.decodeTokensPerSecond.toFixed(1)} tok/s`);
  const p1000 = await measure(() => bench.answer(prompts.prompt1000, decodeTokens, undefined));
  log(`1000-token prompt (${p1000.promptTokens}): first token ${p1000.ttftMs.toFixed(0)} ms, ${p1000.decodeTokensPerSecond.toFixed(1)} tok/s`);
  // Each repetition is a new conversation: turn 1 fills the prefix cache, turn 2 is timed.
  const turn2 = await measure(async (i) => {
    const id = `bench-conversation-${i}`;
    const turn1 = await bench.answer(prompts.conversation, 16, id);
    log(`conversation turn 1 (${turn1.promptTokens} tokens): first token ${turn1.ttftMs.toFixed(0)} ms, ${turn1.decodeTokensPerSecond.toFixed(1)} tok/s`);
    return bench.answer([...prompts.conversation, { role: 'assistant', content: turn1.text }, prompts.followUp], 8, id);
  });
  log(`follow-up turn (${turn2.promptTokens} tokens, ${turn2.cachedTokens} cached): first token ${turn2.ttftMs.toFixed(0)} ms, ${turn2.decodeTokensPerSecond.toFixed(1)} tok/s`);
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
    text200: p200.text,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
