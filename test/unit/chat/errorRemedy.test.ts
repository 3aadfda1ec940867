import * as assert from 'node:assert/strict';
import { compareRemedy, errorRemedy } from '../../../src/chat/errorRemedy';
import { ErrorKindSchema, type ErrorKind } from '../../../src/protocol/chat';
import type { ProviderOption } from '../../../src/protocol/webviewMessages';

const keyed: ProviderOption = { id: 'openai', label: 'OpenAI-compatible API', kind: 'remote', keyed: true };
const vscodeModels: ProviderOption = { id: 'vscode-lm', label: 'VS Code language models', kind: 'remote' };
const local: ProviderOption = { id: 'local', label: 'Local', kind: 'local' };

describe('errorRemedy (the button under a failed answer)', () => {
  const remedyOf = (kind: ErrorKind, provider: ProviderOption | undefined) => errorRemedy({ kind, message: 'It failed.' }, provider);

  it('offers Set API Key for an auth error of a provider whose key Hearth keeps, and nothing for one that asks for permission', () => {
    assert.equal(remedyOf('auth', keyed), 'setApiKey');
    assert.equal(remedyOf('auth', vscodeModels), undefined);
    assert.equal(remedyOf('auth', undefined), undefined, 'a provider no longer registered');
  });

  it('offers Select Model for a missing or bad model, and New Chat for a conversation too long', () => {
    for (const provider of [keyed, vscodeModels, local]) assert.equal(remedyOf('badModel', provider), 'selectModel');
    assert.equal(remedyOf('contextTooLong', local), 'newChat');
  });

  it('offers nothing for the kinds that have no single command to fix them', () => {
    const withRemedy = new Set<ErrorKind>(['auth', 'badModel', 'contextTooLong']);
    for (const kind of ErrorKindSchema.options.filter((k) => !withRemedy.has(k))) assert.equal(remedyOf(kind, keyed), undefined, kind);
  });

  it('offers in the Compare panel every fix but New Chat (each comparison starts afresh)', () => {
    assert.equal(compareRemedy('setApiKey'), 'setApiKey');
    assert.equal(compareRemedy('selectModel'), 'selectModel');
    assert.equal(compareRemedy('newChat'), undefined);
    assert.equal(compareRemedy(undefined), undefined);
  });
});
