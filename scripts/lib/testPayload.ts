// The URL that makes code-server's workbench run an extension test suite, as VS Code's own browser integration
// runner does: `?folder=...&payload=[[key, value], ...]` (honoured only with enable-smoke-test-driver).

/** The workbench's remote authority (e.g. `remote`), from the configuration it embeds in its page. */
export async function readRemoteAuthority(serverUrl: string): Promise<string> {
  const html = await (await fetch(serverUrl)).text();
  const match = /id="vscode-workbench-web-configuration"[^>]*data-settings="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error(`No workbench configuration in the page at ${serverUrl}: is this code-server?`);
  const decoded = match[1].replace(/&(quot|amp|lt|gt|#39);/g, (_, entity: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" })[entity] ?? '');
  const settings = JSON.parse(decoded) as { remoteAuthority?: unknown };
  if (typeof settings.remoteAuthority !== 'string') throw new Error(`The workbench configuration at ${serverUrl} has no remoteAuthority.`);
  return settings.remoteAuthority;
}

export interface TestPayload {
  folder: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** Environment variables for the extension host. */
  env?: Record<string, string>;
}

export function testPayloadUrl(serverUrl: string, authority: string, payload: TestPayload): string {
  const remote = (path: string): string => `vscode-remote://${authority}${path}`;
  const entries: Array<[string, string]> = [
    ['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(payload.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ...(payload.env ? [['extensionEnvironment', JSON.stringify(payload.env)] as [string, string]] : []),
  ];
  const url = new URL(serverUrl);
  url.searchParams.set('folder', payload.folder);
  url.searchParams.set('payload', JSON.stringify(entries));
  return url.toString();
}
