// The chat webview's HTML: a strict CSP, one nonce'd script, styles from the extension's folders.
import { randomBytes } from 'node:crypto';

export interface ChatHtmlParts {
  cspSource: string;
  scriptUri: string;
  styleUris: string[];
}

export function renderChatHtml(parts: ChatHtmlParts): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${parts.cspSource}`,
    `img-src ${parts.cspSource} data:`,
    `font-src ${parts.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const styles = parts.styleUris.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>Hearth</title>
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${nonce}" src="${parts.scriptUri}"></script>
  </body>
</html>`;
}
