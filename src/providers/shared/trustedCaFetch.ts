// Remote requests trust what the user made trusted: the OS store (VS Code's `http.systemCertificates`) and the PEM file
// named by NODE_EXTRA_CA_CERTS. Why this exists: VS Code's extension host swaps `fetch` for one that passes an explicit
// `ca` list (Node's bundled roots plus the OS store), and an explicit list leaves out NODE_EXTRA_CA_CERTS (measured in
// code-server 4.139 on Node 24: SELF_SIGNED_CERT_IN_CHAIN with the CA in that file). Where that file adds certificates,
// requests carry an undici Agent whose `ca` is the whole list; VS Code's fetch reads that `ca` and still applies its proxy.
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type { Agent } from 'undici';
import type { FetchLike } from './remoteProviderOptions';

/** The certificates Node trusts, by where they come from. `system` is undefined where Node cannot read the OS store. */
export interface CaStore {
  bundled: readonly string[];
  extra: readonly string[];
  system?: readonly string[];
}

type CaKind = 'bundled' | 'extra' | 'system';
type GetCaCertificates = (kind: CaKind) => string[];

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file; none (not an error) for a file that is missing or unreadable, as Node does. */
export function readPemFile(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return readFileSync(path, 'utf8').match(pemBlock) ?? [];
  } catch {
    return [];
  }
}

/** What this Node trusts (tls.getCACertificates is Node 22.15+; older ones read the bundled roots and the file). */
export function nodeCaStore(env: NodeJS.ProcessEnv = process.env): CaStore {
  const get = (tls as { getCACertificates?: GetCaCertificates }).getCACertificates;
  if (!get) return { bundled: tls.rootCertificates, extra: readPemFile(env.NODE_EXTRA_CA_CERTS) };
  let system: string[] | undefined;
  try {
    system = get('system');
  } catch {
    system = undefined;
  }
  return { bundled: get('bundled'), extra: get('extra'), ...(system ? { system } : {}) };
}

/**
 * The `ca` list remote requests need, or undefined where the default (VS Code's own fetch) already trusts the same:
 * nothing extra was added, or the OS store is wanted but this Node cannot read it (an explicit list would drop it).
 */
export function trustedCaList(store: CaStore, useSystemCertificates: boolean): string[] | undefined {
  if (!store.extra.length) return undefined;
  if (useSystemCertificates && !store.system) return undefined;
  return [...new Set([...store.bundled, ...store.extra, ...(useSystemCertificates ? (store.system ?? []) : [])])];
}

export interface TrustedFetchOptions {
  /** VS Code's `http.systemCertificates`, read at each request. */
  useSystemCertificates: () => boolean;
  /** Tests pass their own. */
  store?: () => CaStore;
  fetch?: FetchLike;
}

/** A fetch for remote APIs that honours NODE_EXTRA_CA_CERTS beside VS Code's own proxy and certificate handling. */
export function trustedCaFetch(options: TrustedFetchOptions): FetchLike {
  let store: CaStore | undefined;
  // One Agent per choice: VS Code's fetch keeps its own agent per dispatcher, so a new one per request would leak.
  // undici loads with the first request that needs it, not at activation.
  const agents = new Map<boolean, Promise<Agent | undefined>>();
  const agentFor = (useSystem: boolean): Promise<Agent | undefined> => {
    let agent = agents.get(useSystem);
    if (!agent) {
      store ??= (options.store ?? nodeCaStore)();
      const ca = trustedCaList(store, useSystem);
      agent = ca ? import('undici').then(({ Agent }) => new Agent({ connect: { ca } })) : Promise.resolve(undefined);
      agents.set(useSystem, agent);
    }
    return agent;
  };
  return async (input, init) => {
    // VS Code's patched fetch, read at each call (it is installed when the extension host starts).
    const base: FetchLike = options.fetch ?? ((i, o) => globalThis.fetch(i, o));
    const agent = init && 'dispatcher' in init ? undefined : await agentFor(options.useSystemCertificates());
    // `dispatcher` is undici's extension of RequestInit, which the DOM typing of fetch does not know.
    return agent ? base(input, { ...init, dispatcher: agent } as RequestInit) : base(input, init);
  };
}
