// The local engine as a VS Code language model provider (vendor 'hearth'): every local model the panel's
// picker offers appears in VS Code's Chat model picker and to any extension through
// `vscode.lm.selectChatModels({ vendor: 'hearth' })`. Answers stream from the same engine host as the panel's.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { answerBudget } from '../engine/contextBudget';
import { formatBytes } from '../hub/downloadProgress';
import { installedDir, listInstalled } from '../hub/modelStore';
import type { ToolSpec } from '../protocol/engine';
import { readLocalModelCard } from '../providers/local/localModelCard';
import type { LocalProvider } from '../providers/local/localProvider';
import { type LmMessage, type LmPart, conversationKey, textOfLmMessage, toEngineMessages } from '../providers/local/lmRequestMessages';
import { cannotCallTools, missingRequiredToolCall, withRequiredToolInstruction } from '../providers/local/requiredToolCall';
import { ToolCallStream } from '../providers/local/toolCallParser';
import { localProviderId } from '../providers/local/registerLocalProvider';
import { type ChatProvider, ProviderError } from '../providers/types';
import { modelsDir } from './hubSettings';
import { displayName } from './localModelPicker';
import { readSettings } from './settings';

export const hearthVendor = 'hearth';
/** LanguageModelChatMessageRole.System: proposed API, not in @types/vscode 1.104, but VS Code's chat sends it. */
const SYSTEM_ROLE = 3;

export interface HearthModelInformation extends vscode.LanguageModelChatInformation {
  /** The installed model's id for the local provider; undefined: the default model (bundled demo or hearth.local.modelPath). */
  readonly localModel: string | undefined;
}

export interface LocalLanguageModelsDeps {
  /** Where downloads go (hearth.local.modelsDir): read at each listing, as the setting may change. */
  modelsDir(): string;
  /** The panel's providers: the local one (created on first use) answers these requests with the same engine. */
  hub: { get(id: string): Promise<ChatProvider>; demoModelPath(): string };
  log: vscode.LogOutputChannel;
}

interface Candidate {
  id: string;
  name: string;
  family: string;
  version: string;
  dir: string;
  localModel: string | undefined;
  detail: string;
}

export class LocalLanguageModels implements vscode.LanguageModelChatProvider<HearthModelInformation>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(private readonly deps: LocalLanguageModelsDeps) {
    this.watchModelsDir();
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('hearth.local.modelsDir')) this.watchModelsDir();
        if (['modelPath', 'modelsDir', 'maxNewTokens'].some((k) => e.affectsConfiguration(`hearth.local.${k}`))) this.changed.fire();
      }),
    );
  }

  async provideLanguageModelChatInformation(): Promise<HearthModelInformation[]> {
    const maxNewTokens = readSettings().local.maxNewTokens;
    const models: HearthModelInformation[] = [];
    for (const c of await this.candidates()) {
      const card = await readLocalModelCard(c.dir);
      if (!card) continue;
      // As the engine budgets a prompt.
      const { maxNewTokens: maxOutputTokens, reserve } = answerBudget(maxNewTokens, card.contextWindow);
      models.push({
        id: c.id,
        name: c.name,
        family: c.family,
        version: c.version,
        detail: c.detail,
        tooltip: `${c.name}: runs on this computer with Hearth's local engine (${card.contextWindow} tokens of context).`,
        maxInputTokens: card.contextWindow - reserve,
        maxOutputTokens,
        capabilities: { toolCalling: card.toolCalling, imageInput: false },
        localModel: c.localModel,
      });
    }
    return models;
  }

  async provideLanguageModelChatResponse(
    model: HearthModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const requested = toEngineMessages(messages.map(toLmMessage));
    if (requested.length === 0) throw new Error('The request has no text to answer. Send at least one user message with text.');
    // Required with no tools has nothing to call: answered as Auto.
    const required = options.toolMode === vscode.LanguageModelChatToolMode.Required && Boolean(options.tools?.length);
    if (required && !model.capabilities.toolCalling) throw new Error(cannotCallTools(model.name));
    // A template without tools would ignore them: the model then answers in text (its capabilities said so).
    const tools: ToolSpec[] | undefined = model.capabilities.toolCalling && options.tools?.length ? options.tools.map(toolSpecOf) : undefined;
    // No local template can force a call: the model is told to make one, and an answer without one fails below.
    const engineMessages = required && tools ? withRequiredToolInstruction(requested, tools) : requested;
    const stream = tools ? new ToolCallStream() : undefined;
    await this.checkStillOffered(model);
    const local = await this.local();
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const conversationId = conversationKey(model.id, engineMessages);
    const maxTokens = positiveInteger(options.modelOptions?.['maxTokens'] ?? options.modelOptions?.['max_tokens']);
    const temperature = nonNegativeNumber(options.modelOptions?.['temperature']);
    let written = '';
    try {
      const request = {
        messages: engineMessages,
        ...(model.localModel ? { model: model.localModel } : {}),
        ...(conversationId ? { conversationId } : {}),
        ...(tools ? { tools } : {}),
        ...(maxTokens !== undefined ? { maxTokens } : {}),
        ...(temperature !== undefined ? { temperature } : {}),
      };
      for await (const event of local.chat(request, controller.signal)) {
        if (event.type === 'delta') {
          const text = stream ? stream.push(event.text) : event.text;
          written += text;
          if (text) progress.report(new vscode.LanguageModelTextPart(text));
        } else if (event.type === 'notice') {
          this.deps.log.info(`[language model ${model.id}] ${event.text}`);
        }
      }
      if (stream && !token.isCancellationRequested) {
        const { text, calls } = stream.finish();
        const missing = required && tools ? missingRequiredToolCall(model.name, tools, { text: written + text, calls }) : undefined;
        if (missing) throw new Error(missing);
        if (text) progress.report(new vscode.LanguageModelTextPart(text));
        for (const call of calls) progress.report(new vscode.LanguageModelToolCallPart(`call_${randomUUID().replace(/-/g, '').slice(0, 12)}`, call.name, call.arguments));
      }
    } catch (err) {
      throw asLanguageModelError(err);
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(model: HearthModelInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const local = await this.local();
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const counted = typeof text === 'string' ? text : textOfLmMessage(toLmMessage(text));
      return (await local.countTokensWith(model.localModel, { text: counted }, controller.signal)).tokens;
    } catch (err) {
      throw asLanguageModelError(err);
    } finally {
      cancel.dispose();
    }
  }

  /**
   * The engine would answer a request for an installed model with another one when
   * hearth.local.modelPath now overrides it, or the model was deleted (the default model then):
   * such a request fails instead, naming both and what to do.
   */
  private async checkStillOffered(model: HearthModelInformation): Promise<void> {
    if (!model.localModel) return;
    const override = readSettings().local.modelPath.trim();
    if (override) {
      const name = overrideName(override);
      throw vscode.LanguageModelError.NotFound(
        `${model.name} is not in use: hearth.local.modelPath is set, so Hearth's engine runs ${name} for every request. Pick ${name} in the model picker, or clear hearth.local.modelPath to use ${model.name}.`,
      );
    }
    if (!(await installedDir(this.deps.modelsDir(), model.localModel))) {
      throw vscode.LanguageModelError.NotFound(
        `${model.name} is no longer installed (its folder is gone from hearth.local.modelsDir). Pick another model in the model picker, or download it again with 'Hearth: Download Model…'.`,
      );
    }
  }

  private async local(): Promise<LocalProvider> {
    return (await this.deps.hub.get(localProviderId)) as LocalProvider;
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  /** What the panel's local model picker offers: hearth.local.modelPath alone when set, else the downloads and the demo. */
  private async candidates(): Promise<Candidate[]> {
    const override = readSettings().local.modelPath.trim();
    if (override) {
      const name = overrideName(override);
      return [{ id: `folder:${name}`, name, family: name, version: 'local', dir: override, localModel: undefined, detail: 'hearth.local.modelPath' }];
    }
    const installed = await listInstalled(this.deps.modelsDir()).catch(() => []);
    return [
      ...installed.map((m) => ({
        id: m.id,
        name: displayName(m),
        family: m.manifest.catalogId ?? m.manifest.repo,
        version: m.manifest.commit.slice(0, 12),
        dir: m.dir,
        localModel: m.id,
        detail: `local, ${formatBytes(m.diskBytes)}`,
      })),
      { id: 'demo', name: 'Hearth demo model', family: 'hearth-demo', version: 'bundled', dir: this.deps.hub.demoModelPath(), localModel: undefined, detail: 'bundled test model' },
    ];
  }

  /** A model folder's manifest appears or goes: the list changes. */
  private watchModelsDir(): void {
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(vscode.Uri.file(this.deps.modelsDir()), '*/hearth-model.json');
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    watcher.onDidCreate(() => this.changed.fire());
    watcher.onDidDelete(() => this.changed.fire());
    this.watcher = watcher;
  }
}

/** How the model picker names the folder in hearth.local.modelPath. */
function overrideName(override: string): string {
  return basename(override) || override;
}

/** Registers the provider where the host has the API (older VS Code forks do not); undefined there. */
export function registerLocalLanguageModels(context: vscode.ExtensionContext, deps: Omit<LocalLanguageModelsDeps, 'modelsDir'>): LocalLanguageModels | undefined {
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') return undefined;
  const provider = new LocalLanguageModels({ ...deps, modelsDir: () => modelsDir(context) });
  context.subscriptions.push(provider, vscode.lm.registerLanguageModelChatProvider(hearthVendor, provider));
  return provider;
}

/** VS Code's message parts as plain data; parts Hearth cannot use (images, prompt-tsx) are left out. */
function toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  const parts: LmPart[] = [];
  for (const part of message.content) {
    if (part instanceof vscode.LanguageModelTextPart) parts.push({ kind: 'text', value: part.value });
    else if (part instanceof vscode.LanguageModelToolCallPart) parts.push({ kind: 'toolCall', callId: part.callId, name: part.name, input: recordOf(part.input) });
    else if (part instanceof vscode.LanguageModelToolResultPart) parts.push({ kind: 'toolResult', callId: part.callId, text: part.content.map(textOfPart).join('') });
  }
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (message.role as number) === SYSTEM_ROLE ? 'system' : 'user';
  return { role, parts };
}

function textOfPart(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  return typeof part === 'string' ? part : '';
}

function recordOf(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value));
}

function toolSpecOf(tool: vscode.LanguageModelChatTool): ToolSpec {
  const schema = tool.inputSchema && typeof tool.inputSchema === 'object' ? recordOf(tool.inputSchema) : undefined;
  return { name: tool.name, description: tool.description, ...(schema ? { parameters: schema } : {}) };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The engine's typed errors, with what to do, as errors VS Code shows; a missing model is NotFound. */
function asLanguageModelError(err: unknown): Error {
  if (!(err instanceof ProviderError)) return err instanceof Error ? err : new Error(String(err));
  const message = err.action ? `${err.message} ${err.action}` : err.message;
  return err.kind === 'badModel' ? vscode.LanguageModelError.NotFound(message) : new Error(message);
}
