// Where models come from and go: hearth.hub.endpoint and hearth.local.modelsDir, read from the user's
// own settings only (both are application-scoped; a workspace must never decide either), and the
// Hugging Face token, kept in SecretStorage bound to the hub's origin.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ENDPOINT } from '../hub/hubFetch';
import type { ApiKeys } from './apiKeys';

/** The SecretStorage name the token goes under (with the hub origin, through ApiKeys). */
export const HUB_TOKEN_ID = 'huggingface';

function userSetting(key: string): string | undefined {
  const value = vscode.workspace.getConfiguration('hearth').inspect<string>(key)?.globalValue;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function hubEndpoint(): string {
  return (userSetting('hub.endpoint') ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
}

export function modelsDir(context: vscode.ExtensionContext): string {
  return userSetting('local.modelsDir') ?? join(context.globalStorageUri.fsPath, 'models');
}

export async function hubToken(keys: ApiKeys): Promise<string | undefined> {
  return keys.get(HUB_TOKEN_ID, hubEndpoint());
}
