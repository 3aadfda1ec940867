// `LanguageModelChatToolMode.Required` for a local model: no local template can force a tool call, so
// the system message tells the model it must call one, and an answer without a call to one of the
// request's tools fails with what to do instead of passing for a valid answer. Plain data, no `vscode`.
import type { EngineMessage, ToolSpec } from '../../protocol/engine';
import type { ParsedToolCall } from './toolCallParser';

/** What the model is told when the request requires a tool call. */
export function requiredToolInstruction(tools: readonly ToolSpec[]): string {
  const names = tools.map((t) => t.name);
  const which = names.length === 1 ? `the tool ${names[0]}` : `one of the tools ${names.join(', ')}`;
  return `You must answer by calling ${which}. Reply with the tool call only, in the tool-call format described, and write no other text.`;
}

/** The messages with the instruction added to the system message (a new one first when there is none). */
export function withRequiredToolInstruction(messages: readonly EngineMessage[], tools: readonly ToolSpec[]): EngineMessage[] {
  const instruction = requiredToolInstruction(tools);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ ...first, content: first.content ? `${first.content}\n\n${instruction}` : instruction }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

/** Why an answer does not meet a required tool call (no call to any of the request's tools); undefined when it does. */
export function missingRequiredToolCall(modelName: string, tools: readonly ToolSpec[], answer: { text: string; calls: readonly ParsedToolCall[] }): string | undefined {
  const offered = new Set(tools.map((t) => t.name));
  if (answer.calls.some((c) => offered.has(c.name))) return undefined;
  const other = answer.calls.map((c) => c.name).filter((n) => !offered.has(n));
  const wrote = other.length
    ? `it called ${other.join(', ')}, which the request did not offer`
    : answer.text.trim()
      ? `it answered in text ("${clip(answer.text.trim(), 80)}")`
      : 'its answer was empty';
  return (
    `The local model ${modelName} did not call a tool, though the request required one (toolMode Required): ${wrote}. ` +
    'Small local models do not always follow that: try again, ask for the tool in the prompt, or pick a larger model that calls tools (Qwen2.5 or Qwen3, 3B or more).'
  );
}

/** Why a model whose template takes no tools cannot answer a request that requires a tool call. */
export function cannotCallTools(modelName: string): string {
  return (
    `The local model ${modelName} cannot call tools (its chat template takes none), and the request required a tool call (toolMode Required). ` +
    'Pick a model whose capabilities include tool calling (Qwen2.5, Qwen3 and Llama 3.2 models do), or send the request with toolMode Auto.'
  );
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
