// What one benchmark side (Hearth's engine or transformers.js) must do, and what it reports.
import type { ChatMessage } from '../../src/protocol/chat';

export interface AnswerTiming {
  /** From the call to the first generated token (includes prompt rendering and tokenizing). */
  ttftMs: number;
  /** Generated tokens after the first, per second of decoding. */
  decodeTokensPerSecond: number;
  text: string;
  /** Prompt tokens Hearth served from its prefix cache (transformers.js: 0). */
  cachedTokens: number;
  promptTokens: number;
}

export interface BenchSide {
  /** Greedy answer of exactly `newTokens` tokens (end-of-sequence suppressed). */
  answer(messages: ChatMessage[], newTokens: number, conversationId: string | undefined): Promise<AnswerTiming>;
  dispose(): Promise<void>;
}

export interface BenchPrompts {
  prompt200: ChatMessage[];
  prompt1000: ChatMessage[];
  /** A ~2000-token conversation ending with a user turn. */
  conversation: ChatMessage[];
  followUp: ChatMessage;
}

export interface SideResult {
  side: 'hearth' | 'transformersjs';
  loadMs: number;
  ttft200Ms: number;
  decode200: number;
  ttft1000Ms: number;
  decode1000: number;
  conversationTokens: number;
  followupTtftMs: number;
  followupCachedTokens: number;
  peakRssMB: number;
  /** The greedy answer to the 200-token prompt (both sides should write the same). */
  text200: string;
}
