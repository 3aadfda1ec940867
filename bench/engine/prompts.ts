// Deterministic chat prompts of a given token length, measured with the model's own tokenizer and
// chat template, so both sides get exactly the same messages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import type { ChatMessage } from '../../src/protocol/chat';
import type { BenchPrompts } from './types';

const WORDS = (
  'the model reads your code and answers questions about functions tests files errors editors threads memory ' +
  'cache tokens prompt local remote server network request response build package module import export class ' +
  'value string number array object promise async await return throw catch loop index length window context'
).split(' ');

function words(count: number, seed: number): string {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(WORDS[s % WORDS.length]);
  }
  return out.join(' ') + '.';
}

/** `conversationTokens`: length of the chat before the follow-up turn. */
export function buildPrompts(modelDir: string, conversationTokens: number): BenchPrompts {
  const read = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(modelDir, f), 'utf8')) as Record<string, unknown>;
  const config = read('tokenizer_config.json');
  const tokenizer = new Tokenizer(read('tokenizer.json'), config);
  const template = new Template(String(config.chat_template));
  const count = (messages: ChatMessage[]): number =>
    tokenizer.encode(template.render({ messages, add_generation_prompt: true }), { add_special_tokens: false }).ids.length;

  /** Grows one message's word count until the rendered prompt reaches `target` tokens. */
  const sized = (target: number, make: (n: number) => ChatMessage[]): ChatMessage[] => {
    let lo = 1;
    let hi = target * 2;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (count(make(mid)) < target) lo = mid + 1;
      else hi = mid;
    }
    return make(lo);
  };

  const system: ChatMessage = { role: 'system', content: 'You are a helpful coding assistant.' };
  const single = (seed: number) => (n: number): ChatMessage[] => [system, { role: 'user', content: words(n, seed) }];
  // A few turns whose lengths keep these proportions while the total grows to the target.
  const shares = [0.14, 0.34, 0.12, 0.38, 0.02];
  const conversation = sized(conversationTokens, (n) => [
    system,
    ...shares.map((share, i): ChatMessage => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: words(Math.max(1, Math.round(n * share)), 11 + i),
    })),
  ]);
  return {
    prompt200: sized(200, single(1)),
    prompt1000: sized(1000, single(2)),
    conversation,
    followUp: { role: 'user', content: 'Thanks. Can you show the same thing as a short code example?' },
  };
}
