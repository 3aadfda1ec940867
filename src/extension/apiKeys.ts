// API keys live only in SecretStorage, never in settings, logs or history.
import * as vscode from 'vscode';

export class ApiKeys {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static key(providerId: string): string {
    return `hearth.apiKey.${providerId}`;
  }

  get(providerId: string): Thenable<string | undefined> {
    return this.secrets.get(ApiKeys.key(providerId));
  }

  set(providerId: string, value: string): Thenable<void> {
    return this.secrets.store(ApiKeys.key(providerId), value);
  }

  clear(providerId: string): Thenable<void> {
    return this.secrets.delete(ApiKeys.key(providerId));
  }
}
