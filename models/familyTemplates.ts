// Chat templates for the family test models. Written for Hearth's tests (not copied from the
// families' tokenizer_config.json files): each renders the family's published prompt format and
// uses the same template features the family's own template does, so the engine is tested
// against them: a default system prompt, `strftime_now` and `date_string`, `raise_exception`,
// `enable_thinking`, reasoning stripped from earlier turns, BOS written by the template, and the
// generation prompt.

/** Qwen2.5 and Qwen2.5-Coder: ChatML with Qwen's default system prompt. */
export const QWEN25_TEMPLATE = [
  "{%- if messages[0].role == 'system' %}{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}",
  "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}{%- endif %}",
  "{%- for message in messages %}{%- if not (loop.first and message.role == 'system') %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}{%- endif %}{%- endfor %}",
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
].join('\n');

/**
 * Qwen3: ChatML without a default system prompt; earlier answers lose their reasoning (the text up
 * to </think>); `enable_thinking=false` pre-fills an empty think block after the generation prompt.
 */
export const QWEN3_TEMPLATE = [
  "{%- if messages[0].role == 'system' %}{{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}{%- endif %}",
  '{%- for message in messages %}',
  "{%- if message.role == 'assistant' %}",
  '{%- set content = message.content %}',
  "{%- if '</think>' in content %}{%- set content = content.split('</think>')[-1].lstrip('\\n') %}{%- endif %}",
  "{{- '<|im_start|>assistant\\n' + content + '<|im_end|>\\n' }}",
  "{%- elif not (loop.first and message.role == 'system') %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}",
  '{%- endif %}',
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}",
  "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}",
  '{%- endif %}',
].join('\n');

/**
 * DeepSeek-R1-Distill-Qwen: BOS, the system prompt as bare text, <｜User｜>/<｜Assistant｜> turns,
 * earlier answers without their reasoning, and a generation prompt that opens <think> (the model
 * always reasons).
 */
export const DEEPSEEK_R1_TEMPLATE = [
  '{{- bos_token }}',
  "{%- set ns = namespace(system='') %}",
  "{%- for message in messages %}{%- if message.role == 'system' %}{%- set ns.system = message.content %}{%- endif %}{%- endfor %}",
  '{{- ns.system }}',
  '{%- for message in messages %}',
  "{%- if message.role == 'user' %}{{- '<｜User｜>' + message.content }}",
  "{%- elif message.role == 'assistant' %}",
  '{%- set content = message.content %}',
  "{%- if '</think>' in content %}{%- set content = content.split('</think>')[-1] %}{%- endif %}",
  "{{- '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' }}",
  '{%- endif %}',
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<｜Assistant｜><think>\\n' }}{%- endif %}",
].join('\n');

/**
 * Llama 3.2: BOS, a system header with the knowledge cutoff and today's date (`date_string`, else
 * `strftime_now`, else a fixed date), header-delimited turns ended by <|eot_id|>.
 */
export const LLAMA32_TEMPLATE = [
  '{{- bos_token }}',
  '{%- if not date_string is defined %}',
  "{%- if strftime_now is defined %}{%- set date_string = strftime_now('%d %b %Y') %}{%- else %}{%- set date_string = '26 Jul 2024' %}{%- endif %}",
  '{%- endif %}',
  "{%- if messages[0].role == 'system' %}{%- set system_message = messages[0].content | trim %}{%- set loop_messages = messages[1:] %}",
  "{%- else %}{%- set system_message = '' %}{%- set loop_messages = messages %}{%- endif %}",
  "{{- '<|start_header_id|>system<|end_header_id|>\\n\\n' }}",
  "{{- 'Cutting Knowledge Date: December 2023\\n' }}",
  "{{- 'Today Date: ' + date_string + '\\n\\n' }}",
  "{{- system_message + '<|eot_id|>' }}",
  '{%- for message in loop_messages %}',
  "{{- '<|start_header_id|>' + message.role + '<|end_header_id|>\\n\\n' + message.content | trim + '<|eot_id|>' }}",
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}",
].join('\n');

/**
 * Gemma 3: BOS; no system role, so a leading system prompt is folded into the first user turn; a
 * system message anywhere else, or turns that do not alternate, raise_exception; the assistant is
 * "model"; turns end with <end_of_turn>.
 */
export const GEMMA3_TEMPLATE = [
  '{{- bos_token }}',
  "{%- if messages[0].role == 'system' %}{%- set first_user_prefix = messages[0].content + '\\n\\n' %}{%- set loop_messages = messages[1:] %}",
  "{%- else %}{%- set first_user_prefix = '' %}{%- set loop_messages = messages %}{%- endif %}",
  '{%- for message in loop_messages %}',
  "{%- if message.role == 'system' %}{{- raise_exception('Gemma has no system role: a system message can only come first, where it is folded into the first user turn.') }}{%- endif %}",
  "{%- if (message.role == 'user') != (loop.index0 % 2 == 0) %}{{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif %}",
  "{%- if message.role == 'assistant' %}{%- set role = 'model' %}{%- else %}{%- set role = message.role %}{%- endif %}",
  "{%- if loop.first %}{%- set prefix = first_user_prefix %}{%- else %}{%- set prefix = '' %}{%- endif %}",
  "{{- '<start_of_turn>' + role + '\\n' + prefix + message.content | trim + '<end_of_turn>\\n' }}",
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<start_of_turn>model\\n' }}{%- endif %}",
].join('\n');

/** Phi-3.5-mini: <|system|>/<|user|>/<|assistant|> lines ended by <|end|>; EOS when not generating. */
export const PHI35_TEMPLATE = [
  '{%- for message in messages %}',
  "{%- if message.role == 'system' and message.content %}{{- '<|system|>\\n' + message.content + '<|end|>\\n' }}",
  "{%- elif message.role == 'user' %}{{- '<|user|>\\n' + message.content + '<|end|>\\n' }}",
  "{%- elif message.role == 'assistant' %}{{- '<|assistant|>\\n' + message.content + '<|end|>\\n' }}{%- endif %}",
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|assistant|>\\n' }}{%- else %}{{- eos_token }}{%- endif %}",
].join('\n');

/** Phi-4-mini: the same roles with no newlines; tools go in the system turn between <|tool|> tags. */
export const PHI4_MINI_TEMPLATE = [
  '{%- for message in messages %}',
  "{%- if message.role == 'system' and tools is defined and tools %}{{- '<|system|>' + message.content + '<|tool|>' + tools | tojson + '<|/tool|><|end|>' }}",
  "{%- else %}{{- '<|' + message.role + '|>' + message.content + '<|end|>' }}{%- endif %}",
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|assistant|>' }}{%- else %}{{- eos_token }}{%- endif %}",
].join('\n');

/** SmolLM2: ChatML with SmolLM's default system prompt. */
export const SMOLLM2_TEMPLATE = [
  '{%- for message in messages %}',
  "{%- if loop.first and messages[0].role != 'system' %}{{- '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}{%- endif %}",
  "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}",
  '{%- endfor %}',
  "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}",
].join('\n');
