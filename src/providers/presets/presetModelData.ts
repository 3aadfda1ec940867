// Context windows and list prices of models behind a preset, each copied from the service's own page with its
// address and the date it was read. Only values found on the provider's page are here: a model or a preset that is
// missing has no verified entry yet (README: "Preset prices"). The user's settings override all of it.
// Checked: 2026-12-05, from the pages as stored (the Anthropic model pages carry no date of their own).
import type { PresetModelEntryInput } from './presetModelTable';

export const presetModelData: readonly PresetModelEntryInput[] = [
  {
    preset: 'anthropic',
    models: ['claude-opus-5'],
    contextWindow: 1_000_000,
    maxOutput: 128_000,
    inputPerMTok: 5,
    outputPerMTok: 25,
    currency: 'USD',
    checked: '2026-12-05',
    source: 'https://platform.claude.com/docs/zh-CN/models/opus-5/overview.md',
  },
  {
    preset: 'anthropic',
    models: ['claude-sonnet-5'],
    contextWindow: 1_000_000,
    maxOutput: 128_000,
    inputPerMTok: 2,
    outputPerMTok: 10,
    currency: 'USD',
    checked: '2026-12-05',
    source: 'https://platform.claude.com/docs/id/models/sonnet-5/overview.md',
  },
  {
    preset: 'anthropic',
    // The dated id from the model's page; the alias from the models overview.
    models: ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    contextWindow: 200_000,
    maxOutput: 64_000,
    inputPerMTok: 1,
    outputPerMTok: 5,
    currency: 'USD',
    checked: '2026-12-05',
    source: 'https://platform.claude.com/docs/zh-CN/models/haiku-4-5/overview.md',
  },
];
