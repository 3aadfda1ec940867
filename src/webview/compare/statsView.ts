// One side's measurements as a compact list: what the trade-off between two models is made of.
import type { CompareStats } from '../../protocol/compareMessages';
import { costWithSource } from '../chrome/formatCost';
import { h } from '../dom';

function entry(name: string, key: string, value: string): HTMLElement {
  return h('div', { class: 'stat', attrs: { 'data-stat': key } }, h('dt', { text: name }), h('dd', { text: value }));
}

export function statsView(stats: CompareStats): HTMLElement {
  const ttft = stats.timeToFirstTokenMs;
  const rate = stats.tokensPerSecond;
  return h(
    'dl',
    { class: 'compare-stats' },
    entry('First token', 'ttft', ttft === undefined ? '—' : ttft >= 1000 ? `${(ttft / 1000).toFixed(1)} s` : `${Math.round(ttft)} ms`),
    entry('Speed', 'rate', rate === undefined ? '—' : `${rate.toFixed(1)} tok/s`),
    entry('Tokens in / out', 'tokens', stats.promptTokens === undefined ? '—' : `${stats.promptTokens} / ${stats.completionTokens ?? 0}`),
    // No prices set for the endpoint: say so rather than guess. No tokens counted (a refused request): nothing to price.
    entry('Cost', 'cost', stats.cost ? costWithSource(stats.cost) : stats.promptTokens === undefined ? '—' : 'unknown'),
    ...thinkingEntry(stats),
  );
}

/** "120 tokens, 3 s" of thinking, for a side that thought; nothing for one that did not. */
function thinkingEntry(stats: CompareStats): HTMLElement[] {
  const parts = [
    ...(stats.reasoningTokens ? [`${stats.reasoningTokens} tokens`] : []),
    ...(stats.thinkingMs !== undefined ? [`${Math.max(1, Math.round(stats.thinkingMs / 1000))} s`] : []),
  ];
  return parts.length ? [entry('Thinking', 'thinking', parts.join(', '))] : [];
}
