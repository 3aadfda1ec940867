// Typed access to the `hearth.*` settings.
import * as vscode from 'vscode';
import type { LocalProviderSettings } from '../providers/local/localProvider';
import type { OpenAiSettings as OpenAiProviderSettings } from '../providers/openai/openAiClient';
import type { AnthropicSettings as AnthropicProviderSettings } from '../providers/anthropic/anthropicClient';
import type { VscodeLmSettings } from './vscodeLmProvider';

// The provider modules declare the settings they read; importing only their types loads nothing.
export type LocalSettings = LocalProviderSettings;
export type OpenAiSettings = Required<Pick<OpenAiProviderSettings, 'baseUrl' | 'model' | 'timeouts'>> & {
  maxTokens: number | null;
  temperature: number | null;
};
export type AnthropicSettings = Required<Pick<AnthropicProviderSettings, 'baseUrl' | 'model' | 'maxTokens' | 'timeouts'>>;
export type { VscodeLmSettings };

export interface HearthSettings {
  provider: string;
  systemPrompt: string;
  /** `hearth.endpoints` as the user wrote it; validated by resolveEndpoints. */
  endpoints: unknown;
  openai: OpenAiSettings;
  anthropic: AnthropicSettings;
  vscodeLm: VscodeLmSettings;
  local: LocalSettings;
}

/**
 * Settings that decide where a key, a conversation or a model file goes or comes from. package.json scopes
 * them `application`/`machine`, so VS Code already ignores them in a workspace's settings; reading only the
 * user (and remote-machine) value here keeps that true whatever a VS Code fork or a future scope change does.
 */
export const userOnlySettings = ['openai.baseUrl', 'anthropic.baseUrl', 'local.modelPath', 'endpoints'] as const;

/**
 * Settings a workspace may set only once the user trusts it (package.json `restrictedConfigurations`): a
 * repository in Restricted Mode cannot write Hearth's instructions or switch a chat to a remote service.
 */
export const trustedWorkspaceSettings = ['systemPrompt', 'provider'] as const;

/** The user's value (or the default), never a workspace's. */
function userValue<T>(c: vscode.WorkspaceConfiguration, key: string): T | undefined {
  const inspected = c.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

export function readSettings(): HearthSettings {
  const c = vscode.workspace.getConfiguration('hearth');
  const userOnly = new Set<string>([...userOnlySettings, ...(vscode.workspace.isTrusted ? [] : trustedWorkspaceSettings)]);
  const get = <T>(key: string, fallback: T): T => (userOnly.has(key) ? userValue<T>(c, key) : c.get<T>(key)) ?? fallback;
  const timeouts = {
    firstChunkMs: get('remote.firstTokenTimeoutSeconds', 180) * 1000,
    idleMs: get('remote.idleTimeoutSeconds', 60) * 1000,
  };
  return {
    provider: get('provider', 'local'),
    systemPrompt: get('systemPrompt', ''),
    endpoints: get<unknown>('endpoints', []),
    openai: {
      baseUrl: get('openai.baseUrl', 'https://api.openai.com/v1'),
      model: get('openai.model', 'gpt-4o-mini'),
      maxTokens: get<number | null>('openai.maxTokens', 8192),
      temperature: get<number | null>('openai.temperature', null),
      timeouts,
    },
    anthropic: {
      baseUrl: get('anthropic.baseUrl', 'https://api.anthropic.com'),
      model: get('anthropic.model', 'claude-sonnet-5-5'),
      maxTokens: get('anthropic.maxTokens', 4096),
      timeouts,
    },
    vscodeLm: {
      model: get('vscodeLm.model', ''),
    },
    local: {
      modelPath: get('local.modelPath', ''),
      device: get<LocalSettings['device']>('local.device', 'auto'),
      dtype: get<LocalSettings['dtype']>('local.dtype', 'auto'),
      threads: get('local.threads', 0),
      threadSpinning: get('local.threadSpinning', false),
      int4Compute: get<LocalSettings['int4Compute']>('local.int4Compute', 'model'),
      idleTimeoutMinutes: get('local.idleTimeoutMinutes', 10),
      maxNewTokens: get('local.maxNewTokens', 1024),
      temperature: get<number | null>('local.temperature', null),
      topK: get<number | null>('local.topK', null),
      topP: get<number | null>('local.topP', null),
      minP: get<number | null>('local.minP', null),
      repetitionPenalty: get<number | null>('local.repetitionPenalty', null),
      seed: get<number | null>('local.seed', null),
      thinking: get<LocalSettings['thinking']>('local.thinking', 'auto'),
    },
  };
}
