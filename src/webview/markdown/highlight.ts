// Syntax highlighting for fenced code, with highlight.js's common-languages build.
import hljs from 'highlight.js/lib/common';

const LANGUAGE_NAME = /^[A-Za-z0-9_+#.-]{1,40}$/;

/** The fence's language if it is a plausible name (it ends up in a class attribute). */
export function languageOfFence(info: string): string | undefined {
  const first = info.trim().split(/\s+/)[0] ?? '';
  return LANGUAGE_NAME.test(first) ? first.toLowerCase() : undefined;
}

/** Highlighted HTML for `code`, or undefined when the language is unknown (caller escapes it). */
export function highlightCode(code: string, language: string | undefined): string | undefined {
  if (!language || !hljs.getLanguage(language)) return undefined;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return undefined; // A highlighter bug must not hide the code: show it plain.
  }
}
