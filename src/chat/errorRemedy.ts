// The one command that fixes a failed answer, where there is one: the panel offers it as a button under
// the error, so the user need not find it in the Command Palette. Kinds with no single fix get none.
import type { ErrorInfo, ErrorRemedy } from '../protocol/chat';
import type { ProviderOption } from '../protocol/webviewMessages';

export function errorRemedy(error: ErrorInfo, provider: Pick<ProviderOption, 'keyed'> | undefined): ErrorRemedy | undefined {
  switch (error.kind) {
    // Only a key Set API Key manages: VS Code's own models ask for permission, not a key.
    case 'auth':
      return provider?.keyed ? 'setApiKey' : undefined;
    // No model chosen, one the server does not know, a damaged or unsuitable local model.
    case 'badModel':
      return 'selectModel';
    case 'contextTooLong':
      return 'newChat';
    // Waiting, the network, the server, the settings or the engine's restart (Regenerate): no one command.
    default:
      return undefined;
  }
}

/** The error with its fix attached, where it has one. */
export function withRemedy(error: ErrorInfo, provider: Pick<ProviderOption, 'keyed'> | undefined): ErrorInfo {
  const remedy = errorRemedy(error, provider);
  return remedy ? { ...error, remedy } : error;
}

/** The fix the Compare panel offers for a failed side: there each run starts afresh, so New Chat has no meaning. */
export function compareRemedy(remedy: ErrorRemedy | undefined): Exclude<ErrorRemedy, 'newChat'> | undefined {
  return remedy === 'newChat' ? undefined : remedy;
}
