// Finds the tool calls in a local model's answer. Models trained on Hermes/Qwen templates write
// `<tool_call>{"name": …, "arguments": {…}}</tool_call>`; Llama 3.2 writes the bare JSON object
// `{"name": …, "parameters": {…}}` (optionally after `<|python_tag|>`) as its whole answer.
// Model output is untrusted: anything that is not a well-formed call stays text.

export interface ParsedToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ParsedAnswer {
  /** The answer without its tool calls. */
  text: string;
  calls: ParsedToolCall[];
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';
const PYTHON_TAG = '<|python_tag|>';

/** Splits a complete answer into its text and its tool calls. */
export function parseToolCalls(answer: string): ParsedAnswer {
  const bare = parseBareJson(answer);
  if (bare) return { text: '', calls: bare };
  const calls: ParsedToolCall[] = [];
  let text = '';
  let at = 0;
  for (;;) {
    const open = answer.indexOf(OPEN, at);
    if (open < 0) break;
    const close = answer.indexOf(CLOSE, open + OPEN.length);
    // A model may stop (EOS or a stop string) before writing the closing tag.
    const end = close < 0 ? answer.length : close;
    const call = toolCallOf(answer.slice(open + OPEN.length, end));
    if (!call) break;
    text += answer.slice(at, open);
    calls.push(call);
    at = close < 0 ? answer.length : close + CLOSE.length;
  }
  text += answer.slice(at);
  return { text: calls.length ? text.trim() : text, calls };
}

/** The whole answer as Llama-style JSON: one call, or an array of calls; undefined when it is not that. */
function parseBareJson(answer: string): ParsedToolCall[] | undefined {
  let body = answer.trim();
  if (body.startsWith(PYTHON_TAG)) body = body.slice(PYTHON_TAG.length).trim();
  if (!body.startsWith('{') && !body.startsWith('[')) return undefined;
  const value = parseJson(body);
  const items = Array.isArray(value) ? value : [value];
  const calls = items.map(callOf);
  if (calls.length === 0 || calls.some((c) => c === undefined)) return undefined;
  return calls as ParsedToolCall[];
}

function toolCallOf(json: string): ParsedToolCall | undefined {
  return callOf(parseJson(json.trim()));
}

/** `{name, arguments|parameters}`, where arguments may also be a JSON string (as OpenAI sends them). */
function callOf(value: unknown): ParsedToolCall | undefined {
  if (!isRecord(value) || typeof value['name'] !== 'string' || !value['name'].trim()) return undefined;
  let args: unknown = value['arguments'] ?? value['parameters'] ?? {};
  if (typeof args === 'string') args = parseJson(args);
  if (!isRecord(args)) return undefined;
  return { name: value['name'].trim(), arguments: args };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Streams an answer's text while holding back what may be a tool call: from `<tool_call>` on, or the
 * whole answer when it starts like JSON. `finish` parses what was held.
 */
export class ToolCallStream {
  private answer = '';
  private released = 0;

  /** Text that can be shown now. */
  push(delta: string): string {
    this.answer += delta;
    const start = this.answer.trimStart();
    if (start === '' || start.startsWith('{') || start.startsWith('[') || PYTHON_TAG.startsWith(start.slice(0, PYTHON_TAG.length))) {
      return '';
    }
    const open = this.answer.indexOf(OPEN, this.released);
    const until = open >= 0 ? open : this.answer.length - partialTagAtEnd(this.answer);
    if (until <= this.released) return '';
    const out = this.answer.slice(this.released, until);
    this.released = until;
    return out;
  }

  /** The rest of the text and the tool calls, once the answer is complete. */
  finish(): ParsedAnswer {
    const held = this.answer.slice(this.released);
    this.released = this.answer.length;
    return parseToolCalls(held);
  }
}

/** Length of a trailing prefix of `<tool_call>` (the tag may arrive split across deltas). */
function partialTagAtEnd(text: string): number {
  for (let n = Math.min(OPEN.length - 1, text.length); n > 0; n--) {
    if (OPEN.startsWith(text.slice(-n))) return n;
  }
  return 0;
}
