// Completion in the composer's text field: `/` at the start offers the code tasks' slash commands,
// `#` offers the mentions, `#file:` asks the host for workspace files matching what follows
// (debounced; an answer to an older request is dropped).
import { fileMentionText } from '../../protocol/composerSyntax';
import type { ComposerCommand, WebviewToHost } from '../../protocol/webviewMessages';
import { h } from '../dom';
import { completionAt, type CompletionContext } from './completionContext';
import { CompletionPopup, type CompletionItem } from './completionPopup';
import { MentionChips } from './mentionChips';

interface Suggestion extends CompletionItem {
  /** The text that replaces the completed word. */
  insert: string;
}

const mentions: Suggestion[] = [
  { label: '#file:', description: 'A file of the workspace (type part of its name)', insert: '#file:' },
  { label: '#selection', description: "The editor's current selection", insert: '#selection ' },
  { label: '#problems', description: "The active file's problems (errors, warnings)", insert: '#problems ' },
];

/** Keystrokes this close together make one file search. */
const fileSearchDelayMs = 120;

export class ComposerCompletion {
  private readonly popup: CompletionPopup<Suggestion>;
  private readonly chips: MentionChips;
  readonly element: HTMLElement;
  private commands: Suggestion[] = [];
  private context: CompletionContext | undefined;
  private requestId = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly field: HTMLTextAreaElement,
    private readonly post: (message: WebviewToHost) => void,
  ) {
    this.popup = new CompletionPopup(field, (item) => this.accept(item));
    this.chips = new MentionChips(field);
    this.element = h('div', { class: 'composer-completion' }, this.chips.element, this.popup.element);
    this.chips.render();
    // Capture: the list's keys are handled before the composer's own Enter-sends and Escape-stops.
    field.addEventListener(
      'keydown',
      (event) => {
        if (this.popup.handleKey(event)) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      },
      { capture: true },
    );
    // Typed (not set by code): a mention still being written at the caret is no chip yet.
    field.addEventListener('input', (event) => this.update(event instanceof InputEvent));
    // The caret moved without typing: the completion follows it (or goes away).
    field.addEventListener('click', () => this.update());
    field.addEventListener('keyup', (event) => {
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight' || event.key === 'Home' || event.key === 'End') this.update();
    });
    field.addEventListener('blur', () => this.close());
  }

  setCommands(commands: readonly ComposerCommand[]): void {
    this.commands = commands.map((c) => ({ label: c.slash, description: c.description, insert: `${c.slash} ` }));
  }

  /** The host's answer to a file search: shown only if it answers the latest one still open. */
  fileMatches(requestId: number, files: readonly string[]): void {
    if (requestId !== this.requestId || this.context?.kind !== 'file') return;
    this.popup.show(files.map((path) => ({ label: path, insert: `${fileMentionText(path)} ` })));
  }

  private update(typing = false): void {
    const caret = this.field.selectionStart === this.field.selectionEnd ? this.field.selectionStart : -1;
    const writing = typing || this.field.value.slice(0, caret).endsWith('#file:');
    this.chips.render(writing && caret >= 0 ? caret : undefined);
    this.context = caret < 0 ? undefined : completionAt(this.field.value, caret);
    clearTimeout(this.searchTimer);
    const context = this.context;
    if (!context) return this.close();
    if (context.kind === 'command') return this.popup.show(this.commands.filter((c) => c.label.slice(1).startsWith(context.query.toLowerCase())));
    if (context.kind === 'mention') return this.popup.show(mentions.filter((m) => m.label.slice(1).startsWith(context.query.toLowerCase())));
    // A file search: the list keeps its last answer until the new one comes.
    const requestId = ++this.requestId;
    this.searchTimer = setTimeout(() => this.post({ type: 'findFiles', requestId, query: context.query }), fileSearchDelayMs);
  }

  private accept(item: Suggestion): void {
    const context = this.context;
    if (!context) return this.close();
    const value = this.field.value;
    this.field.value = value.slice(0, context.start) + item.insert + value.slice(context.end);
    const caret = context.start + item.insert.length;
    this.field.setSelectionRange(caret, caret);
    this.close();
    // As if typed: the draft is saved, and `#file:` opens the file list straight away.
    this.field.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private close(): void {
    clearTimeout(this.searchTimer);
    // A search answered after this is stale.
    this.requestId++;
    this.context = undefined;
    this.popup.close();
  }
}
