// The one fetch for requests that leave this computer (remote model APIs, the model hub): certificates VS Code trusts
// (http.systemCertificates) plus NODE_EXTRA_CA_CERTS, which VS Code's own fetch leaves out; VS Code's proxy still applies.
import * as vscode from 'vscode';
import type { FetchLike } from '../providers/shared/remoteProviderOptions';
import { trustedCaFetch } from '../providers/shared/trustedCaFetch';

let shared: FetchLike | undefined;

export function userTrustedFetch(): FetchLike {
  shared ??= trustedCaFetch({ useSystemCertificates: () => vscode.workspace.getConfiguration('http').get<boolean>('systemCertificates', true) });
  return shared;
}
