// The compare panel's door to the extension host: typed posts out, zod-validated messages in.
import { z } from 'zod';
import { HostToCompareSchema, type CompareToHost, type HostToCompare } from '../../protocol/compareMessages';

// The CSP has no 'unsafe-eval': tell zod not to try compiling parsers with new Function.
z.config({ jitless: true });

export class CompareHost {
  // Declared globally in ../host.ts (the chat view's door); one per webview, acquired once.
  private readonly api = acquireVsCodeApi();

  post(message: CompareToHost): void {
    this.api.postMessage(message);
  }

  listen(handler: (message: HostToCompare) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = HostToCompareSchema.safeParse(event.data);
      if (!parsed.success) {
        console.warn('Hearth compare: ignored an invalid message from the host', parsed.error.issues.slice(0, 3));
        return;
      }
      handler(parsed.data);
    });
  }
}
