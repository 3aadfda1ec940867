// A conversation as a Markdown document: a heading per turn, answers verbatim (they already are Markdown),
// attachments in fenced blocks long enough that their own backticks cannot close them.
import type { Attachment, Conversation, StoredMessage } from '../../protocol/chat';

export function conversationToMarkdown(conversation: Conversation): string {
  const source = [conversation.providerId, conversation.model].filter(Boolean).join(' / ');
  const blocks: string[] = [
    `# ${oneLine(conversation.title) || 'Untitled conversation'}`,
    `*Exported from Hearth. Started ${iso(conversation.createdAt)}, last updated ${iso(conversation.updatedAt)}${source ? `; ${source}` : ''}.*`,
  ];
  for (const message of conversation.messages) blocks.push(...messageBlocks(message));
  return `${blocks.join('\n\n')}\n`;
}

function messageBlocks(message: StoredMessage): string[] {
  const out = [`## ${heading(message)}`];
  for (const attachment of message.attachments ?? []) out.push(attachmentBlock(attachment));
  if (message.reasoning?.trim()) out.push(thinkingBlock(message.reasoning));
  if (message.content.trim()) out.push(message.content.trimEnd());
  if (message.status === 'stopped') out.push('> *Stopped before the answer finished.*');
  if (message.status === 'truncated') out.push('> *Cut at the length limit.*');
  if (message.error) {
    const action = message.error.action ? ` ${oneLine(message.error.action)}` : '';
    out.push(`> **Error (${message.error.kind}):** ${oneLine(message.error.message)}${action}`);
  }
  return out;
}

/** The model's thinking as a quote above its answer: every line quoted, so nothing in it can end the quote early. */
function thinkingBlock(reasoning: string): string {
  const quoted = reasoning.trimEnd().split(/\r?\n/).map((line) => (line ? `> ${line}` : '>'));
  return ['> **Thinking**', '>', ...quoted].join('\n');
}

function heading(message: StoredMessage): string {
  if (message.role === 'user') return 'You';
  if (message.role === 'system') return 'System';
  return message.model ? `Assistant (${oneLine(message.model)})` : 'Assistant';
}

function attachmentBlock(attachment: Attachment): string {
  const fence = fenceFor(attachment.content);
  const language = oneLine(attachment.language ?? '').replace(/`/g, '');
  return `**${attachment.kind}: ${oneLine(attachment.label)}**\n\n${fence}${language}\n${attachment.content.replace(/\n$/, '')}\n${fence}`;
}

/** A backtick fence longer than any backtick run inside the content (CommonMark's rule). */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
