// The only door to the extension host: typed posts out, zod-validated messages in.
import { z } from 'zod';
import { HostToWebviewSchema, type HostToWebview, type WebviewToHost } from '../protocol/webviewMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

// The CSP has no 'unsafe-eval': tell zod not to try compiling parsers with new Function.
z.config({ jitless: true });

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** UI-only state kept by VS Code across reloads of the view; the host owns the conversation. */
const UiStateSchema = z.object({
  draft: z.string().max(2_000_000).optional(),
  scroll: z.object({ conversationId: z.string(), top: z.number() }).optional(),
});
export type UiState = z.infer<typeof UiStateSchema>;

export class Host {
  private readonly api = acquireVsCodeApi();
  private uiState: UiState;

  constructor() {
    const parsed = UiStateSchema.safeParse(this.api.getState());
    this.uiState = parsed.success ? parsed.data : {};
  }

  post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  get state(): UiState {
    return this.uiState;
  }

  updateState(patch: Partial<UiState>): void {
    this.uiState = { ...this.uiState, ...patch };
    this.api.setState(this.uiState);
  }

  /** Calls `handler` with every valid host message; invalid ones are logged and dropped. */
  listen(handler: (message: HostToWebview) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = HostToWebviewSchema.safeParse(event.data);
      if (!parsed.success) {
        console.warn('Hearth webview: ignored an invalid message from the host', parsed.error.issues.slice(0, 3));
        return;
      }
      handler(parsed.data);
    });
  }
}
