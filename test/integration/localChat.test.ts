// A whole chat turn on the local provider: the bundled demo model runs in the engine host that the
// extension forks, through the same message path the webview uses. Nothing goes over the network.
import * as assert from 'node:assert/strict';
import { activateHearth, is, startTurn, useSettings, WebviewTranscript } from './support/hearth';

describe('chat with the local demo model', function () {
  this.timeout(120_000);
  let transcript: WebviewTranscript;
  let restoreSettings: () => Promise<void>;

  before(async () => {
    const api = await activateHearth();
    transcript = new WebviewTranscript(api);
    restoreSettings = await useSettings({ 'hearth.provider': 'local', 'hearth.local.modelPath': '' });
    const init = transcript.waitFor(is('init'));
    await transcript.send({ type: 'newChat' });
    await init;
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`Messages posted to the webview:\n${transcript.summary()}`);
  });

  after(async () => {
    await restoreSettings?.();
    transcript?.dispose();
  });

  it('streams the demo model answer and reports the device and speed', async () => {
    const turn = await startTurn(transcript, 'Hello, who are you?');
    const done = await turn.done;
    assert.equal(done.status, 'complete', `finished with ${JSON.stringify(done)}`);
    assert.match(turn.text(), /Hearth/, `the wired demo model writes its sentence: ${JSON.stringify(turn.text())}`);
    assert.equal(done.stats?.device, 'cpu');
    assert.ok((done.usage?.completionTokens ?? 0) > 0, 'usage counts the answer tokens');
  });

  it('answers a follow-up in the same conversation', async () => {
    const turn = await startTurn(transcript, 'And again?');
    const done = await turn.done;
    assert.equal(done.status, 'complete');
    assert.ok(turn.text().length > 0);
  });
});
