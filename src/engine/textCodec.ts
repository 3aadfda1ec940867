// Text <-> token ids for one model: its tokenizer.json and its own chat template (ChatML when
// the folder has none). Prompts are rendered by the template and tokenized without extra
// special tokens, as transformers' apply_chat_template does.
import { ChatTemplate } from './chatTemplate';
import { Tokenizer } from '@huggingface/tokenizers';
import type { EngineMessage, ToolSpec } from '../protocol/engine';
import type { ThinkingMode } from '../protocol/engine';
import { specialTokenText } from './configSchemas';
import { EngineError, errorMessage } from './errors';
import type { ModelFolder } from './modelFolder';
import { mergedAdjacentTurns } from './alternatingTurns';
import { templateTakesTools } from './templateFeatures';
import { promptOpensThinking } from './thinkSplitter';

const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export class TextCodec {
  readonly eosTokenIds: ReadonlySet<number>;
  /** True when the folder had no chat template and ChatML is used. */
  readonly usesFallbackTemplate: boolean;
  /** The template reads `enable_thinking` (Qwen3 and the like), so thinking can be turned off. */
  readonly thinkingSwitch: boolean;
  /** The template lays out tools (it reads a `tools` variable, as Qwen2.5/Qwen3/Llama 3.2 templates do). */
  readonly supportsTools: boolean;

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly template: ChatTemplate,
    private readonly specialTokens: Record<string, string>,
    eosTokenIds: number[],
    usesFallbackTemplate: boolean,
    thinkingSwitch: boolean,
    supportsTools: boolean,
  ) {
    this.eosTokenIds = new Set(eosTokenIds);
    this.supportsTools = supportsTools;
    this.usesFallbackTemplate = usesFallbackTemplate;
    this.thinkingSwitch = thinkingSwitch;
  }

  static create(folder: ModelFolder): TextCodec {
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig);
    } catch (err) {
      throw new EngineError(
        'badModel',
        `tokenizer.json could not be loaded: ${errorMessage(err)}`,
        'Download the model again; its tokenizer.json may be damaged or of an unsupported kind.',
        'tokenizer.json',
      );
    }
    const source = folder.chatTemplate ?? CHATML_TEMPLATE;
    let template: ChatTemplate;
    try {
      template = new ChatTemplate(source);
    } catch (err) {
      throw new EngineError(
        'badModel',
        `The chat template (tokenizer_config.json chat_template) does not parse: ${errorMessage(err)}`,
        'Fix or remove chat_template in tokenizer_config.json (Hearth then uses ChatML).',
        'tokenizer_config.json',
      );
    }
    const specialTokens: Record<string, string> = {};
    for (const key of ['bos_token', 'eos_token', 'pad_token', 'unk_token'] as const) {
      const text = specialTokenText(folder.tokenizerConfig[key]);
      if (text !== undefined) specialTokens[key] = text;
    }
    const eos = [...folder.eosTokenIds];
    const eosText = specialTokens['eos_token'];
    const eosFromConfig = eosText === undefined ? undefined : tokenizer.token_to_id(eosText);
    if (eosFromConfig !== undefined) eos.push(eosFromConfig);
    // A ChatML turn ends with <|im_end|>, whatever the config files call EOS.
    const imEnd = tokenizer.token_to_id('<|im_end|>');
    if (!folder.chatTemplate && imEnd !== undefined) eos.push(imEnd);
    if (eos.length === 0) {
      throw new EngineError(
        'badModel',
        'The model folder names no end-of-sequence token (eos_token_id in generation_config.json or config.json).',
        'Add eos_token_id to generation_config.json.',
        'generation_config.json',
      );
    }
    return new TextCodec(tokenizer, template, specialTokens, eos, !folder.chatTemplate, /\benable_thinking\b/.test(source), templateTakesTools(folder.chatTemplate));
  }

  encode(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  /** Special tokens (EOS, turn markers) are left out of answer text. */
  decode(ids: number[]): string {
    if (ids.length === 0) return '';
    return this.tokenizer.decode(ids, { skip_special_tokens: true });
  }

  /** `thinking: 'off'` sets `enable_thinking: false` for templates that read it; `auto` leaves it undefined (the template's default). */
  /** `tools` reach the template only when it takes them. */
  renderChat(messages: readonly EngineMessage[], thinking: ThinkingMode = 'auto', addGenerationPrompt = true, tools?: readonly ToolSpec[]): string {
    const render = (turns: readonly EngineMessage[]): string =>
      this.template.render({
        messages: turns.map(templateMessage),
        ...(tools?.length && this.supportsTools ? { tools: tools.map(templateTool) } : {}),
        add_generation_prompt: addGenerationPrompt,
        ...(thinking === 'off' ? { enable_thinking: false } : {}),
        ...this.specialTokens,
      });
    try {
      return render(messages);
    } catch (err) {
      // A template that wants alternating turns (Gemma's) gets adjacent ones joined, rather than
      // refusing every later message of a conversation in which one answer failed.
      const merged = mergedAdjacentTurns(messages);
      if (merged) {
        try {
          return render(merged);
        } catch {
          // Still rejected: report the first reason.
        }
      }
      throw new EngineError(
        'badRequest',
        `The model's chat template rejected the conversation: ${errorMessage(err)}`,
        'Start a new conversation; some templates require strictly alternating user/assistant turns.',
      );
    }
  }

  encodeChat(messages: readonly EngineMessage[], thinking: ThinkingMode = 'auto', tools?: readonly ToolSpec[]): number[] {
    return this.encode(this.renderChat(messages, thinking, true, tools));
  }

  /** Whether the answer to these messages starts inside a thinking block the template's generation prompt opened. */
  opensThinking(messages: readonly EngineMessage[], thinking: ThinkingMode = 'auto'): boolean {
    const prompt = this.renderChat(messages, thinking);
    let conversation: string | undefined;
    try {
      conversation = this.renderChat(messages, thinking, false);
    } catch {
      // Some templates insist on a generation prompt; the prompt's end is then all there is to go by.
    }
    return promptOpensThinking(prompt, conversation);
  }
}

/** The OpenAI-style shapes Hugging Face chat templates expect (tool_calls[].function, arguments as an object). */
function templateMessage(m: EngineMessage): Record<string, unknown> {
  return {
    role: m.role,
    content: m.content,
    ...(m.toolCalls?.length
      ? { tool_calls: m.toolCalls.map((c) => ({ type: 'function', ...(c.id ? { id: c.id } : {}), function: { name: c.name, arguments: c.arguments } })) }
      : {}),
    ...(m.toolCallId ? { tool_call_id: m.toolCallId } : {}),
  };
}

function templateTool(t: ToolSpec): Record<string, unknown> {
  return { type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters ?? { type: 'object', properties: {} } } };
}
