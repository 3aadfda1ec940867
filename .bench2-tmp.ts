import { loadModel } from './src/engine';
import { answer } from './test/unit/engine/engineTestSupport';
(async () => {
  for (const threads of [1, 2]) {
    const m = await loadModel('models/.generated/bench-q4-gqa', { device: 'cpu', threads });
    for (let r = 0; r < 2; r++) {
      const a = await answer(m, { messages: [{ role: 'user', content: 'Hello there, how are you doing today?' }], maxNewTokens: 24, minNewTokens: 24, sampling: { temperature: 0 } });
      console.log('threads', threads, a.result.usage.promptTokens, 'prefill', a.result.stats.prefillMs.toFixed(0), 'tps', a.result.stats.tokensPerSecond?.toFixed(1));
    }
    await m.dispose();
  }
})();
