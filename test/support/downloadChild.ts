// A downloader in its own process, for the test that kills one mid-file: it prints every progress
// report as a JSON line so the test knows how far it got before the kill.
import { downloadModel } from '../../src/hub/modelDownloader';

const [endpoint, modelsDir, repo, weights] = process.argv.slice(2);
if (!endpoint || !modelsDir || !repo || !weights) throw new Error('usage: downloadChild <endpoint> <modelsDir> <repo> <weights>');

downloadModel(
  { repo, revision: 'main', device: 'cpu', variant: { weights } },
  { endpoint, modelsDir, progressIntervalMs: 0 },
  (p) => process.stdout.write(`${JSON.stringify(p)}\n`),
  new AbortController().signal,
).then(
  () => process.stdout.write('{"phase":"exit"}\n'),
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  },
);
