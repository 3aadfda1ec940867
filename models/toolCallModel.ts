// A wired demo model (models/README.md, "The demo model") whose answer is a tool call: greedy decoding
// of any prompt writes TOOL_CALL_TEXT, Llama 3.2's JSON tool-call form, then <|im_end|>. Its chat
// template is Qwen2.5's, which lays out tools, so Hearth reports it as tool-calling. For tests of
// tool calls through VS Code's language model API.
//
// A bigram chain cannot repeat a token, and JSON repeats its quotes: the JSON's punctuation runs are
// added tokens of their own (ids after the base vocabulary), so every token of the chain is distinct.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { generationConfig, transformersJsConfig, type FolderFacts } from './folderFiles';
import { GENERATOR_VERSION } from './generator';
import { encodeModel } from './onnx/onnxModel';
import { InlineTensorStore } from './onnx/tensorStore';
import { buildDecoderModel } from './qwen2Graph';
import { SHAPES, type ModelShape } from './shapes';
import { buildTokenizerFiles, type TokenizerFiles } from './tokenizer/tokenizerFiles';
import { WeightSource } from './weights';

export const TOOL_CALL_TEXT = '{"name": "get_weather", "parameters": {"days": 3}}';
/** Its context window, unlike the default 2048, so tests can tell that it was read from config.json. */
export const TOOL_CALL_MODEL_CONTEXT = 3072;

const GLUE = ['{"name": "', '", "parameters": {"', '": ', '}}'];
const MARKER = 'hearth-tool-call-model.json';
const VERSION = `${GENERATOR_VERSION}-tool-1`;

/** Qwen2.5-Instruct's chat template (tokenizer_config.json of Qwen/Qwen2.5-0.5B-Instruct). */
export const QWEN25_TOOLS_TEMPLATE =
  '{%- if tools %}\n    {{- \'<|im_start|>system\\n\' }}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- messages[0][\'content\'] }}\n    {%- else %}\n        {{- \'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\' }}\n    {%- endif %}\n' +
  '    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n' +
  '    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n' +
  '{%- else %}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- \'<|im_start|>system\\n\' + messages[0][\'content\'] + \'<|im_end|>\\n\' }}\n    {%- else %}\n        {{- \'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n\' }}\n    {%- endif %}\n{%- endif %}\n' +
  '{%- for message in messages %}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}\n        {{- \'<|im_start|>\' + message.role + \'\\n\' + message.content + \'<|im_end|>\' + \'\\n\' }}\n' +
  '    {%- elif message.role == "assistant" %}\n        {{- \'<|im_start|>\' + message.role }}\n        {%- if message.content %}\n            {{- \'\\n\' + message.content }}\n        {%- endif %}\n        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n' +
  '            {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n            {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n            {{- \'}\\n</tool_call>\' }}\n        {%- endfor %}\n        {{- \'<|im_end|>\\n\' }}\n' +
  '    {%- elif message.role == "tool" %}\n        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}\n            {{- \'<|im_start|>user\' }}\n        {%- endif %}\n        {{- \'\\n<tool_response>\\n\' }}\n        {{- message.content }}\n        {{- \'\\n</tool_response>\' }}\n' +
  '        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n            {{- \'<|im_end|>\\n\' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|im_start|>assistant\\n\' }}\n{%- endif %}\n';

interface ToolTokenizer {
  files: TokenizerFiles;
  chain: number[];
}

/** The base test tokenizer plus the JSON glue as added (not special) tokens, and the chain that spells the call. */
function toolTokenizer(base: TokenizerFiles, shape: ModelShape): ToolTokenizer {
  const json = structuredClone(base.tokenizerJson) as { added_tokens: object[] };
  const config = structuredClone(base.tokenizerConfig) as { added_tokens_decoder: Record<string, object>; chat_template: string; model_max_length: number };
  GLUE.forEach((content, i) => {
    const id = shape.vocabSize - GLUE.length + i;
    const token = { content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false };
    json.added_tokens.push({ id, ...token });
    config.added_tokens_decoder[String(id)] = token;
  });
  config.chat_template = QWEN25_TOOLS_TEMPLATE;
  config.model_max_length = shape.maxPositions;
  const tokenizer = new Tokenizer(json, config);
  const chain = tokenizer.encode(TOOL_CALL_TEXT, { add_special_tokens: false }).ids;
  if (new Set(chain).size !== chain.length) throw new Error(`The tool call repeats a token, so a bigram chain cannot spell it: ${chain.join(' ')}`);
  if (tokenizer.decode(chain, { skip_special_tokens: true }) !== TOOL_CALL_TEXT) throw new Error('The tool-call chain does not decode to the tool call.');
  return { files: { ...base, tokenizerJson: json, tokenizerConfig: config }, chain };
}

/** Writes the model into `dir` (reused while its version stands); returns `dir`. */
export function ensureToolCallModel(dir: string): string {
  try {
    if ((JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { version?: string }).version === VERSION) return dir;
  } catch {
    // Not there yet, or unfinished: (re)generate.
  }
  const base = buildTokenizerFiles(SHAPES.demo.vocabSize, TOOL_CALL_MODEL_CONTEXT);
  // The glue tokens come after the base vocabulary (whose last ids are its special tokens).
  const shape: ModelShape = { ...SHAPES.demo, vocabSize: SHAPES.demo.vocabSize + GLUE.length, maxPositions: TOOL_CALL_MODEL_CONTEXT };
  const { files, chain } = toolTokenizer(base, shape);
  const weights = new WeightSource(shape, 42, { chain, endId: base.ids.imEnd });

  const tmp = `${dir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  mkdirSync(join(tmp, 'onnx'), { recursive: true });
  const store = new InlineTensorStore();
  try {
    const model = buildDecoderModel(weights, store, { attention: 'standard', dtype: 'fp32', logitsToKeepInput: true, producerVersion: GENERATOR_VERSION });
    writeFileSync(join(tmp, 'onnx', 'model.onnx'), encodeModel(model));
  } finally {
    store.close();
  }
  const facts: FolderFacts = { shapeName: 'demo', shape, attention: 'standard', tokenizer: files, externalByFile: { 'model.onnx': false }, dtypes: ['fp32'] };
  const write = (name: string, value: object): void => writeFileSync(join(tmp, name), `${JSON.stringify(value, null, 2)}\n`);
  write('tokenizer.json', files.tokenizerJson);
  write('tokenizer_config.json', files.tokenizerConfig);
  write('special_tokens_map.json', files.specialTokensMap);
  write('config.json', transformersJsConfig(facts));
  write('generation_config.json', generationConfig(facts));
  write(MARKER, { version: VERSION, text: TOOL_CALL_TEXT });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
