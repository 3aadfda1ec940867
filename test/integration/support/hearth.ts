// Helpers for suites that run inside the extension host: activate Hearth, record what it posts to the webview,
// play the webview's side of a chat turn, and change user settings for one test.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HearthApi } from '../../../src/extension/extension';
import type { HostToWebview } from '../../../src/protocol/webviewMessages';

export const extensionId = 'hearth-dev.hearth';

export function hearthExtension(): vscode.Extension<HearthApi> {
  const extension = vscode.extensions.getExtension<HearthApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this extension host`);
  return extension;
}

export async function activateHearth(): Promise<HearthApi> {
  const api = await hearthExtension().activate();
  assert.equal(typeof api?.testing?.receiveFromWebview, 'function', 'activate() must return { testing: { receiveFromWebview } }');
  assert.equal(typeof api?.testing?.onDidPostToWebview, 'function', 'activate() must return { testing: { onDidPostToWebview } }');
  return api;
}

type Waiter = { match: (m: HostToWebview) => boolean; resolve: (m: HostToWebview) => void };

/** Everything the host posts to the webview, in order, with promises that resolve when a message arrives. */
export class WebviewTranscript implements vscode.Disposable {
  readonly messages: HostToWebview[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly subscription: { dispose(): void };

  constructor(private readonly api: HearthApi) {
    this.subscription = api.testing.onDidPostToWebview((posted) => {
      // A copy, as postMessage gives the real webview: the host may keep changing the object it posted.
      const message = structuredClone(posted);
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** The first message posted at index >= `from` that matches (already posted or still to come). */
  waitFor<T extends HostToWebview>(match: (m: HostToWebview) => m is T, from = 0): Promise<T> {
    const found = this.messages.slice(from).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve: (m) => resolve(m as T) }));
  }

  /** Sends a message as the webview would. */
  send(message: unknown): Promise<void> {
    return this.api.testing.receiveFromWebview(message);
  }

  /** One line per message, for failure output. */
  summary(): string {
    return this.messages.map((m, i) => `${i}: ${JSON.stringify(m).slice(0, 300)}`).join('\n');
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

type Of<K extends HostToWebview['type']> = Extract<HostToWebview, { type: K }>;
export const is =
  <K extends HostToWebview['type']>(type: K, where: (m: Of<K>) => boolean = () => true) =>
  (m: HostToWebview): m is Of<K> =>
    m.type === type && where(m as Of<K>);

export interface Turn {
  assistantId: string;
  /** Resolves when the host has handled the `send` message. */
  handled: Promise<void>;
  /** Resolves with the assistant's `messageDone`. */
  done: Promise<Of<'messageDone'>>;
  /** The streamed text of the assistant message so far. */
  text(): string;
}

/** Sends `text` as the user and returns the assistant message the host starts for it. */
export async function startTurn(transcript: WebviewTranscript, text: string): Promise<Turn> {
  const from = transcript.messages.length;
  const assistantAdded = transcript.waitFor(is('messageAdded', (m) => m.message.role === 'assistant'), from);
  // Not awaited first: the webview's postMessage is fire-and-forget and the host may handle `send` until the
  // answer ends, while a `stop` must still get through.
  const handled = transcript.send({ type: 'send', text });
  const { message } = await Promise.race([assistantAdded, handled.then(() => assistantAdded)]);
  assert.equal(message.status, 'streaming', 'the assistant message starts as streaming');
  return {
    assistantId: message.id,
    handled,
    done: transcript.waitFor(is('messageDone', (m) => m.messageId === message.id), from),
    text: () =>
      transcript.messages
        .slice(from)
        .filter((m): m is Of<'delta'> => m.type === 'delta' && m.messageId === message.id)
        .map((m) => m.text)
        .join(''),
  };
}

/** Sets user (global) settings for one test; the returned function restores the previous values. */
export async function useSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration();
  const previous = Object.keys(values).map((key) => [key, config.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of previous) await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
  };
}

export interface ChatSession {
  transcript: WebviewTranscript;
  /** Restores the settings and stops recording. */
  close(): Promise<void>;
}

/**
 * Hearth activated with these user settings and a transcript of what it posts to the view, once the
 * view's opening message (`ready`, as a view that just loaded sends it, or `newChat`) was answered with
 * `init`. `prepare` runs after the settings change and before the opening (e.g. setting an API key).
 */
export async function openChat(settings: Record<string, unknown>, opening: 'ready' | 'newChat' = 'newChat', prepare?: () => Thenable<unknown>): Promise<ChatSession> {
  const transcript = new WebviewTranscript(await activateHearth());
  const restoreSettings = await useSettings(settings);
  await prepare?.();
  const init = transcript.waitFor(is('init'), transcript.messages.length);
  await transcript.send({ type: opening });
  await init;
  // Conversations remember the provider picked for them (a Compare side continued in the chat, a suite that
  // picked one): the reopened one is pointed at this suite's provider, as the user would in the panel.
  const provider = settings['hearth.provider'];
  if (typeof provider === 'string') {
    const picked = transcript.waitFor(is('status', (m) => m.status.providerId === provider), transcript.messages.length);
    await transcript.send({ type: 'selectProvider', providerId: provider });
    await picked;
  }
  return {
    transcript,
    async close() {
      await restoreSettings();
      transcript.dispose();
    },
  };
}

/** For afterEach: prints what the view was sent when the test failed. */
export function printTranscriptIfFailed(test: Mocha.Test | undefined, transcript: WebviewTranscript | undefined): void {
  if (test?.state === 'failed' && transcript) console.log(`Messages posted to the webview:\n${transcript.summary()}`);
}
