// An error with one fix shows a button under it, as VS Code's chat does: it posts the message that runs
// the fix (Set API Key for the provider that failed, Select Model, New Chat); an error without one shows none.
import * as assert from 'node:assert/strict';
import type { ErrorInfo, StoredMessage } from '../../src/protocol/chat';
import type { WebviewToHost } from '../../src/protocol/webviewMessages';
import { assistantMessage, init, userMessage } from './harness/hostMessages';
import { useWebview } from './harness/useWebview';

function failedAnswer(id: string, error: ErrorInfo): StoredMessage {
  return { ...assistantMessage(id, ''), status: 'error', providerId: 'openai', endpoint: '127.0.0.1:45931', error };
}

describe('webview: error remedies', () => {
  const fixture = useWebview();
  const remedy = (id: string) => fixture.view.page.locator(`.message[data-id="${id}"] .message-error .message-error-remedy`);

  const cases: Array<{ error: ErrorInfo; label: string; posts: WebviewToHost }> = [
    {
      error: { kind: 'auth', message: 'No API key is stored for http://127.0.0.1:45931.', action: "Run 'Hearth: Set API Key'.", remedy: 'setApiKey' },
      label: 'Set API Key…',
      posts: { type: 'setApiKey', providerId: 'openai' },
    },
    {
      error: { kind: 'badModel', message: "Model 'gpt-9' was not found (404).", remedy: 'selectModel' },
      label: 'Select Model…',
      posts: { type: 'pickModel' },
    },
    {
      error: { kind: 'contextTooLong', message: 'The conversation is too long.', action: 'Start a new conversation or shorten the message.', remedy: 'newChat' },
      label: 'New Chat',
      posts: { type: 'newChat' },
    },
  ];

  for (const { error, label, posts } of cases) {
    it(`offers "${label}" under a ${error.kind} error and posts ${posts.type}`, async () => {
      const { view } = fixture;
      await view.deliver(init([userMessage('u1', 'hi'), failedAnswer('a1', error)]));
      const button = remedy('a1');
      assert.equal(await button.textContent(), label);
      assert.equal(await button.evaluate((b) => b.classList.contains('primary')), true, "the panel's primary button, as VS Code's chat shows one");
      const posted = await view.expectPost(posts.type, () => button.click());
      assert.deepEqual(posted, posts);
    });
  }

  it('shows the button on an answer that fails while the panel is open', async () => {
    const { view } = fixture;
    await view.deliver(init([userMessage('u1', 'hi')]), {
      type: 'messageAdded',
      message: { ...assistantMessage('a1', '', 'streaming'), providerId: 'anthropic' },
    });
    await view.deliver({
      type: 'messageDone',
      messageId: 'a1',
      status: 'error',
      error: { kind: 'auth', message: 'Anthropic refused the API key (401).', remedy: 'setApiKey' },
    });
    const posted = await view.expectPost('setApiKey', () => remedy('a1').click());
    assert.deepEqual(posted, { type: 'setApiKey', providerId: 'anthropic' }, 'the key of the provider that failed');
  });

  it('shows no button for an error with no single fix', async () => {
    const { view } = fixture;
    const errors: ErrorInfo[] = [
      { kind: 'network', message: 'Could not reach http://127.0.0.1:1.', action: 'Check the base URL.' },
      { kind: 'rateLimit', message: 'Rate limited (429).', action: 'Wait a moment and try again.' },
      { kind: 'auth', message: 'VS Code has not allowed Hearth to use the model.', action: 'Send again and choose Allow.' },
    ];
    await view.deliver(init([userMessage('u1', 'hi'), ...errors.map((e, i) => failedAnswer(`a${i}`, e))]));
    await view.page.locator('.message[data-id="a2"] .message-error').waitFor();
    assert.equal(await view.page.locator('.message-error').count(), errors.length);
    assert.equal(await view.page.locator('.message-error-remedy').count(), 0);
  });
});
