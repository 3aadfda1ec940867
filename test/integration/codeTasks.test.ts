// Editor actions (Explain, Fix, Write Tests, Add Docs, Review), the "Fix with Hearth" lightbulb and
// the @hearth chat participant, in the real extension host, answering through the fake OpenAI server.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { codeTaskIds, codeTaskInstruction, codeTasks } from '../../src/chat/codeTasks';
import { userContent } from '../../src/chat/participantPrompt';
import { defaultAnswerText, startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fakeOpenAiServer';
import { type ChatSession, activateHearth, is, openChat, printTranscriptIfFailed, type WebviewTranscript } from './support/hearth';

const apiKey = 'sk-hearth-integration-code-tasks';
const scratchDir = mkdtempSync(join(tmpdir(), 'hearth-code-tasks-'));

// A language with no symbol provider of its own in code-server; the suite gives it one (below).
const outlinedLanguage = 'ruby';
const rubySource = [
  'class Greeter', //          0
  '  def initialize(name)', // 1
  '    @name = name', //       2
  '  end', //                  3
  '', //                       4
  '  def greet', //            5
  '    "Hello, #{@name}"', //  6
  '  end', //                  7
  'end', //                    8
  '', //                       9
  'puts Greeter.new(1).greet', // 10
].join('\n');

/** Ruby's outline as a language server would give it: the class and its two methods. */
class RubyOutline implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(): vscode.DocumentSymbol[] {
    const symbol = (name: string, kind: vscode.SymbolKind, start: number, end: number) =>
      new vscode.DocumentSymbol(name, '', kind, new vscode.Range(start, 0, end, 3), new vscode.Range(start, 0, start, 3));
    const greeter = symbol('Greeter', vscode.SymbolKind.Class, 0, 8);
    greeter.children = [symbol('initialize', vscode.SymbolKind.Method, 1, 3), symbol('greet', vscode.SymbolKind.Method, 5, 7)];
    return [greeter];
  }
}

type ChatBody = { messages?: Array<{ role: string; content: string }> };

describe('editor actions, Fix with Hearth and @hearth', function () {
  // The first answer also opens the panel and loads the provider; on a busy two-core machine that alone took 20 s.
  this.timeout(60_000);
  let server: FakeOpenAiServer;
  let chat: ChatSession;
  let transcript: WebviewTranscript;
  const disposables: vscode.Disposable[] = [];

  /** The body of the last chat request the fake server got after `from`. */
  function lastChatBody(from: number): ChatBody {
    const request = server.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions')).at(-1);
    assert.ok(request, 'a chat request reached the server');
    return request.body as ChatBody;
  }

  /** Runs an editor command and returns the user message it sent and the request the server got. */
  async function runCommand(command: string, ...args: unknown[]) {
    const from = transcript.messages.length;
    const requestsFrom = server.requests.length;
    await vscode.commands.executeCommand(command, ...args);
    const { message } = await transcript.waitFor(is('messageAdded', (m) => m.message.role === 'user'), from);
    await transcript.waitFor(is('messageDone'), from);
    return { message, body: lastChatBody(requestsFrom), posted: transcript.messages.slice(from) };
  }

  /**
   * Opens the content as a file of its own and resolves once it is the active editor (the commands work on that
   * one). Real files with unique names, not untitled ones: a closed "Untitled-1" hands its name to the next untitled
   * file, and a lookup by that URI (the lightbulb's argument) could still find the closed file's text.
   */
  let fileCount = 0;
  async function open(content: string, language: string): Promise<vscode.TextEditor> {
    const extension = { javascript: 'js', typescript: 'ts', plaintext: 'txt', ruby: 'rb' }[language] ?? language;
    const uri = vscode.Uri.file(join(scratchDir, `code-task-${++fileCount}.${extension}`));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    const active = new Promise<void>((resolve) => {
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document !== doc) return;
        sub.dispose();
        resolve();
      });
    });
    const editor = await vscode.window.showTextDocument(doc);
    if (vscode.window.activeTextEditor?.document !== doc) await active;
    return editor;
  }

  before(async () => {
    server = await startFakeOpenAiServer({ apiKey });
    const settings = { 'hearth.provider': 'openai', 'hearth.openai.baseUrl': server.baseUrl, 'hearth.openai.model': 'fake-model' };
    chat = await openChat(settings, 'newChat', () => vscode.commands.executeCommand('hearth.setApiKey', apiKey));
    transcript = chat.transcript;
    disposables.push(vscode.languages.registerDocumentSymbolProvider({ language: outlinedLanguage }, new RubyOutline()));
  });

  afterEach(async function () {
    printTranscriptIfFailed(this.currentTest, transcript);
    // Each test opens a file of its own; none is edited, so closing it asks nothing.
    if (vscode.window.activeTextEditor?.document.uri.fsPath.startsWith(scratchDir)) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  after(async () => {
    for (const d of disposables) d.dispose();
    await vscode.commands.executeCommand('hearth.clearApiKey');
    await chat?.close();
    await server?.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const task of codeTaskIds) {
    it(`${codeTasks[task].command} sends the selection as a chip with the ${task} prompt`, async () => {
      const editor = await open('const a = 1;\nfunction add(a, b) {\n  return a - b;\n}\n', 'javascript');
      editor.selection = new vscode.Selection(1, 0, 3, 1);
      const { message, body } = await runCommand(codeTasks[task].command);
      const code = 'function add(a, b) {\n  return a - b;\n}';
      assert.equal(message.attachments?.length, 1);
      assert.equal(message.attachments?.[0]?.content, code);
      assert.match(message.attachments?.[0]?.label ?? '', /:2-4$/);
      const label = message.attachments?.[0]?.label ?? '';
      assert.equal(message.content, codeTaskInstruction(task, { languageId: 'javascript', fileName: label }));
      const sent = body.messages?.at(-1)?.content ?? '';
      assert.ok(sent.includes(code) && sent.includes(message.content), `the server got the code and the prompt: ${sent}`);
    });
  }

  it('with the cursor inside a method, attaches that method (from the language symbol provider)', async () => {
    const editor = await open(rubySource, outlinedLanguage);
    editor.selection = new vscode.Selection(6, 4, 6, 4);
    const { message } = await runCommand('hearth.explain');
    assert.equal(message.attachments?.[0]?.content, '  def greet\n    "Hello, #{@name}"\n  end');
    assert.match(message.attachments?.[0]?.label ?? '', /:6-8$/);
    assert.match(message.content, /^Explain this ruby code/);
  });

  it('in a TypeScript file, attaches the method around the cursor from the built-in TypeScript extension', async function () {
    const typescript = vscode.extensions.getExtension('vscode.typescript-language-features');
    if (!typescript) this.skip(); // Not bundled in this build: the Ruby outline above covers the picking.
    const source = 'export class Counter {\n  private n = 0;\n  increment(by: number): number {\n    this.n += by;\n    return this.n;\n  }\n}\n';
    const editor = await open(source, 'typescript');
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    const { message } = await runCommand('hearth.explain');
    assert.equal(message.attachments?.[0]?.content, '  increment(by: number): number {\n    this.n += by;\n    return this.n;\n  }');
  });

  it('between methods, attaches the class; on a blank line outside it, says to select code', async () => {
    const editor = await open(rubySource, outlinedLanguage);
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    const { message } = await runCommand('hearth.review');
    assert.equal(message.attachments?.[0]?.content, rubySource.split('\n').slice(0, 9).join('\n'));

    editor.selection = new vscode.Selection(9, 0, 9, 0);
    const from = transcript.messages.length;
    await vscode.commands.executeCommand('hearth.review');
    assert.equal(transcript.messages.slice(from).filter((m) => m.type === 'messageAdded').length, 0, 'nothing is sent');
  });

  it('without a symbol provider, uses the paragraph around the cursor and says so', async () => {
    const editor = await open('first line\n\nalpha\nbeta\ngamma\n\nlast', 'plaintext');
    editor.selection = new vscode.Selection(3, 2, 3, 2);
    const { message, posted } = await runCommand('hearth.addDocs');
    assert.equal(message.attachments?.[0]?.content, 'alpha\nbeta\ngamma');
    const notice = posted.find((m) => m.type === 'notice');
    assert.match(notice?.type === 'notice' ? notice.text : '', /No outline for plaintext files: Add Docs works on the paragraph around the cursor \(lines 3-5\)/);
  });

  it('the lightbulb offers Fix with Hearth for an error, and running it sends the diagnostic with its method', async () => {
    const editor = await open(rubySource, outlinedLanguage);
    const diagnostics = vscode.languages.createDiagnosticCollection('hearth-test');
    disposables.push(diagnostics);
    const problem = new vscode.Diagnostic(new vscode.Range(6, 4, 6, 21), 'undefined method `name` for nil', vscode.DiagnosticSeverity.Error);
    problem.source = 'ruby-lint';
    const hint = new vscode.Diagnostic(new vscode.Range(2, 4, 2, 9), 'prefer attr_reader', vscode.DiagnosticSeverity.Hint);
    diagnostics.set(editor.document.uri, [problem, hint]);

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(6, 5, 6, 5),
    );
    const fix = actions.find((a): a is vscode.CodeAction => a.title === 'Fix with Hearth' && 'kind' in a);
    assert.ok(fix?.command, `Fix with Hearth is offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);

    const hintActions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(2, 5, 2, 5),
    );
    assert.ok(!hintActions.some((a) => a.title === 'Fix with Hearth'), 'a hint gets no Fix with Hearth');

    const { message, body } = await runCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.equal(message.attachments?.[0]?.content, '  def greet\n    "Hello, #{@name}"\n  end', 'the method around the problem');
    assert.match(message.content, /- line 7, error \(ruby-lint\): undefined method `name` for nil/);
    assert.doesNotMatch(message.content, /attr_reader/);
    assert.match(body.messages?.at(-1)?.content ?? '', /Fix this ruby code/);
    diagnostics.clear();
  });

  /** The Fix with Hearth action the lightbulb offers at `line` for a diagnostic there. */
  async function lightbulbFix(editor: vscode.TextEditor, line: number, message: string): Promise<vscode.Command> {
    const diagnostics = vscode.languages.createDiagnosticCollection('hearth-test-fallback');
    disposables.push(diagnostics);
    diagnostics.set(editor.document.uri, [new vscode.Diagnostic(new vscode.Range(line, 0, line, 3), message, vscode.DiagnosticSeverity.Error)]);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', editor.document.uri, new vscode.Range(line, 1, line, 1));
    const fix = actions.find((a): a is vscode.CodeAction => a.title === 'Fix with Hearth' && 'kind' in a);
    assert.ok(fix?.command, `Fix with Hearth is offered: ${actions.map((a) => a.title).join(', ')}`);
    return fix.command;
  }

  it('Fix with Hearth without a symbol provider sends the lines around the problem and says so', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
    const editor = await open(lines.join('\n'), 'plaintext');
    const command = await lightbulbFix(editor, 14, 'bad line');
    const { message, posted } = await runCommand(command.command, ...(command.arguments ?? []));
    assert.equal(message.attachments?.[0]?.content, lines.slice(4, 25).join('\n'), 'ten lines either side of the problem');
    const notice = posted.find((m) => m.type === 'notice');
    assert.equal(notice?.type === 'notice' ? notice.text : '', 'No outline for plaintext files: Fix works on the lines around the problem (lines 5-25). Select code to choose exactly.');
  });

  it('Fix with Hearth outside any function sends the lines around the problem and says so', async () => {
    const editor = await open(rubySource, outlinedLanguage);
    const command = await lightbulbFix(editor, 10, 'wrong number of arguments');
    const { message, posted } = await runCommand(command.command, ...(command.arguments ?? []));
    assert.equal(message.attachments?.[0]?.content, rubySource, 'the file is shorter than the margin');
    const notice = posted.find((m) => m.type === 'notice');
    assert.equal(notice?.type === 'notice' ? notice.text : '', 'No function, method or class around the problem: Fix works on the lines around it (lines 1-11).');
  });

  it('Fix with Hearth inside a method says nothing about the range', async () => {
    const editor = await open(rubySource, outlinedLanguage);
    const command = await lightbulbFix(editor, 6, 'undefined method');
    const { message, posted } = await runCommand(command.command, ...(command.arguments ?? []));
    assert.equal(message.attachments?.[0]?.content, '  def greet\n    "Hello, #{@name}"\n  end');
    assert.equal(posted.filter((m) => m.type === 'notice' && /works on/.test(m.text)).length, 0, 'no fallback notice');
  });

  describe('@hearth', () => {
    interface Recorded {
      markdown: string;
      references: (vscode.Uri | vscode.Location)[];
      progress: string[];
    }
    function recorder(): { stream: Pick<vscode.ChatResponseStream, 'markdown' | 'reference' | 'progress'>; seen: Recorded } {
      const seen: Recorded = { markdown: '', references: [], progress: [] };
      return {
        seen,
        stream: {
          markdown: (value) => (seen.markdown += typeof value === 'string' ? value : value.value),
          reference: (value) => void seen.references.push(value),
          progress: (value) => void seen.progress.push(value),
        },
      };
    }

    async function ask(prompt: string, command: string | undefined, references: vscode.ChatPromptReference[], token = new vscode.CancellationTokenSource().token) {
      const api = await activateHearth();
      const { stream, seen } = recorder();
      const requestsFrom = server.requests.length;
      const result = await api.testing.chatParticipant({ prompt, command, references }, { history: [] }, stream, token);
      return { result, seen, requestsFrom };
    }

    it('streams the answer as markdown and shows the references it was given', async () => {
      const editor = await open(rubySource, outlinedLanguage);
      const location = new vscode.Location(editor.document.uri, new vscode.Range(5, 0, 7, 5));
      const { result, seen, requestsFrom } = await ask('is this right?', undefined, [{ id: 'vscode.selection', value: location }]);
      assert.equal(result.errorDetails, undefined, JSON.stringify(result));
      const sent = lastChatBody(requestsFrom).messages?.at(-1)?.content ?? '';
      assert.ok(sent.includes('def greet') && sent.endsWith('is this right?'), sent);
      assert.equal(seen.markdown, defaultAnswerText(sent), 'the markdown is the streamed answer, code fences included');
      assert.equal(seen.references.length, 1);
      const [shown] = seen.references;
      assert.ok(shown instanceof vscode.Location && shown.range.isEqual(location.range));
    });

    for (const task of codeTaskIds) {
      it(`/${task} sends the prompt made for it`, async () => {
        const editor = await open(rubySource, outlinedLanguage);
        const location = new vscode.Location(editor.document.uri, new vscode.Range(1, 0, 3, 5));
        const { result, requestsFrom } = await ask('', task, [{ id: 'vscode.selection', value: location }]);
        assert.equal(result.errorDetails, undefined, JSON.stringify(result));
        const label = `${vscode.workspace.asRelativePath(editor.document.uri, false)}:2-4`;
        const expected = userContent({ prompt: '', command: task, contexts: [{ label, content: editor.document.getText(location.range), languageId: outlinedLanguage }] });
        assert.equal(lastChatBody(requestsFrom).messages?.at(-1)?.content, expected);
      });
    }

    it('without a selection, a slash command takes the function around the cursor', async () => {
      const editor = await open(rubySource, outlinedLanguage);
      editor.selection = new vscode.Selection(2, 2, 2, 2);
      const { result, seen, requestsFrom } = await ask('', 'tests', []);
      assert.equal(result.errorDetails, undefined);
      assert.ok(lastChatBody(requestsFrom).messages?.at(-1)?.content.includes('  def initialize(name)\n    @name = name\n  end'));
      assert.ok(seen.references[0] instanceof vscode.Location);
    });

    it('without a symbol provider, a slash command takes the paragraph around the cursor and says so', async () => {
      const editor = await open('first line\n\nalpha\nbeta\ngamma\n\nlast', 'plaintext');
      editor.selection = new vscode.Selection(3, 2, 3, 2);
      const { result, seen, requestsFrom } = await ask('', 'explain', []);
      assert.equal(result.errorDetails, undefined, JSON.stringify(result));
      assert.ok(lastChatBody(requestsFrom).messages?.at(-1)?.content.includes('alpha\nbeta\ngamma'));
      assert.ok(
        seen.progress.includes('No outline for plaintext files: Explain works on the paragraph around the cursor (lines 3-5). Select code to choose exactly.'),
        seen.progress.join(' | '),
      );
    });

    it('takes the history from the chat context, and a follow-up command works on the earlier turn\'s code', async () => {
      const code = '  def greet\n    "Hello, #{@name}"\n  end';
      const earlier = { label: 'greeter.rb:6-8', content: code, languageId: outlinedLanguage };
      // VS Code builds these turns; their constructors are not part of the typed API, so the test reaches them by reflection.
      const request: vscode.ChatRequestTurn = Reflect.construct(vscode.ChatRequestTurn, ['what does it return?', 'explain', [], 'hearth.participant', []]);
      const response: vscode.ChatResponseTurn = Reflect.construct(vscode.ChatResponseTurn, [
        [new vscode.ChatResponseMarkdownPart('It returns a greeting.')],
        { metadata: { command: 'explain', providerId: 'openai', finish: 'stop', contexts: [earlier] } },
        'hearth.participant',
      ]);
      const editor = await open('\n', 'plaintext');
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const api = await activateHearth();
      const { stream } = recorder();
      const requestsFrom = server.requests.length;
      const result = await api.testing.chatParticipant({ prompt: '', command: 'tests', references: [] }, { history: [request, response] }, stream, new vscode.CancellationTokenSource().token);
      assert.equal(result.errorDetails, undefined, JSON.stringify(result));
      const sent = lastChatBody(requestsFrom).messages ?? [];
      const [question, answer, followup] = sent.slice(-3);
      assert.equal(question?.content, userContent({ prompt: 'what does it return?', command: 'explain', contexts: [earlier] }));
      assert.deepEqual(answer, { role: 'assistant', content: 'It returns a greeting.' });
      assert.equal(followup?.content, userContent({ prompt: '', command: 'tests', contexts: [earlier] }));
    });

    it('says what is missing, and reports a failing provider as an error result', async () => {
      const editor = await open('\n\n', 'plaintext');
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      const missing = await ask('', 'explain', []);
      assert.match(missing.result.errorDetails?.message ?? '', /\/explain needs code/);

      server.setScenario({ kind: 'status', status: 400, message: 'bad request from the test' });
      const failed = await ask('hello?', undefined, []);
      assert.match(failed.result.errorDetails?.message ?? '', /^Hearth could not answer: /);
      server.setScenario({ kind: 'ok' });
    });

    it('stops when the request is cancelled', async () => {
      server.setScenario({ kind: 'slow', chunk: 'tick ', intervalMs: 20 });
      const source = new vscode.CancellationTokenSource();
      const disconnectsBefore = server.requests.filter((r) => r.clientDisconnected).length;
      const api = await activateHearth();
      let cancelled = false;
      const stream: Pick<vscode.ChatResponseStream, 'markdown' | 'reference' | 'progress'> = {
        markdown: () => {
          if (!cancelled) source.cancel();
          cancelled = true;
        },
        reference: () => undefined,
        progress: () => undefined,
      };
      const result = await api.testing.chatParticipant({ prompt: 'count forever', command: undefined, references: [] }, { history: [] }, stream, source.token);
      assert.equal(result.metadata?.finish, 'cancelled');
      await server.waitForDisconnect(disconnectsBefore + 1);
      server.setScenario({ kind: 'ok' });
    });
  });
});
