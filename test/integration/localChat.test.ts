// A whole chat turn on the local provider: the bundled demo model runs in the engine host that the
// extension forks, through the same message path the webview uses. Nothing goes over the network.
import * as assert from 'node:assert/strict';
import { type ChatSession, is, openChat, printTranscriptIfFailed, startTurn, type WebviewTranscript } from './support/hearth';

describe('chat with the local demo model', function () {
  this.timeout(120_000);
  let chat: ChatSession;
  let transcript: WebviewTranscript;

  before(async () => {
    chat = await openChat({ 'hearth.provider': 'local', 'hearth.local.modelPath': '' });
    transcript = chat.transcript;
  });

  afterEach(function () {
    printTranscriptIfFailed(this.currentTest, transcript);
  });

  after(async () => {
    await chat?.close();
  });

  it('streams the demo model answer and reports the device and speed', async () => {
    const turn = await startTurn(transcript, 'Hello, who are you?');
    const done = await turn.done;
    assert.equal(done.status, 'complete', `finished with ${JSON.stringify(done)}`);
    assert.match(turn.text(), /Hearth/, `the wired demo model writes its sentence: ${JSON.stringify(turn.text())}`);
    assert.equal(done.stats?.device, 'cpu');
    // The status line's device tooltip says how many threads run the model and why no GPU does.
    const { status } = await transcript.waitFor(is('status', (m) => m.status.device === 'cpu' && m.status.deviceNote !== undefined));
    assert.match(status.deviceNote ?? '', /^\d+ CPU threads\b/);
    assert.ok((done.usage?.completionTokens ?? 0) > 0, 'usage counts the answer tokens');
  });

  it('answers a follow-up in the same conversation', async () => {
    const turn = await startTurn(transcript, 'And again?');
    const done = await turn.done;
    assert.equal(done.status, 'complete');
    assert.ok(turn.text().length > 0);
  });
});
