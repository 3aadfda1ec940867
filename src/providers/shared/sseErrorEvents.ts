// Servers report a failure after HTTP 200 in more than one way. OpenAI-style servers send
// `data: {"error": {...}}`, which the SDKs raise as an APIError. llama.cpp's llama-server writes
// `error: {...}` (a field SSE parsers ignore) and then `data: [DONE]`, and others send `event: error` with
// a bare `data: {"message": ...}`: an SDK sees only a stream that ended early and reports "connection
// closed". This fetch wrapper rewrites those events into the `data: {"error": ...}` form, so the server's
// own words reach the user. Every other byte of the stream passes through untouched.
import type { FetchLike } from './remoteProviderOptions';

export function withSseErrorEvents(fetchImpl: FetchLike): FetchLike {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
    return new Response(rewriteErrorEvents(response.body), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/** The stream with every error event in `data: {"error": ...}` form; events are rewritten whole, never split. */
export function rewriteErrorEvents(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        const end = lastEventEnd(pending);
        if (end < 0) return;
        controller.enqueue(encoder.encode(rewriteEvents(pending.slice(0, end))));
        pending = pending.slice(end);
      },
      flush(controller) {
        pending += decoder.decode();
        if (pending) controller.enqueue(encoder.encode(rewriteEvents(pending)));
      },
    }),
  );
}

/** Index just past the last blank line (the end of a complete event), or -1. */
function lastEventEnd(text: string): number {
  const lf = text.lastIndexOf('\n\n');
  const crlf = text.lastIndexOf('\r\n\r\n');
  const end = Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 4);
  return end;
}

function rewriteEvents(text: string): string {
  // Cheap test first: almost every event of a healthy stream is plain `data:`.
  if (!/^(?:error:|event:\s*error)/m.test(text)) return text;
  return text.split(/(\r?\n\r?\n)/).map(rewriteEvent).join('');
}

function rewriteEvent(block: string): string {
  const lines = block.split(/\r?\n/);
  const errorLine = lines.find((l) => l.startsWith('error:'));
  if (errorLine !== undefined) return `data: ${JSON.stringify({ error: errorBody(errorLine.slice('error:'.length)) })}`;
  if (!lines.some((l) => /^event:\s*error\s*$/.test(l))) return block;
  const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice('data:'.length).trimStart()).join('\n');
  const body = errorBody(data);
  // Already in the form an SDK raises (e.g. Anthropic's `{"type":"error","error":{...}}`): leave it be.
  if (typeof body === 'object' && body !== null && 'error' in body) return block;
  return `data: ${JSON.stringify({ error: body })}`;
}

/** The error's JSON when it is JSON (llama-server: `{code, message, type}`), else its text as the message. */
function errorBody(raw: string): unknown {
  const text = raw.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // Not JSON: the text is the message.
  }
  return { message: text || 'The server reported an error without a message.' };
}
