// Run by the fallback tests in a process of its own (the Vulkan loader reads its environment at
// start): loads a model with device 'webgpu', answers once, prints the result as one JSON line.
import { loadModel } from '../../../src/engine';
import { answer, greedy } from '../../unit/engine/engineTestSupport';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: loadOnWebGpuChild <model folder>');
  const model = await loadModel(dir, { device: 'webgpu', threads: 1 });
  const a = await answer(model, { messages: [{ role: 'user', content: 'hi' }], maxNewTokens: 4, minNewTokens: 4, sampling: greedy });
  await model.dispose();
  console.log(JSON.stringify({ info: model.info, answeredOn: a.result.stats.device }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
