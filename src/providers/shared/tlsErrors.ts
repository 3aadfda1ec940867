// What a failed TLS handshake means for the user, by the OpenSSL/Node code beneath "fetch failed": an authority this
// computer does not trust, a certificate out of date or for another name, or a server that does not speak https.
export type TlsProblem = 'untrustedAuthority' | 'expired' | 'wrongName' | 'notTls' | 'other';

const untrusted = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const expired = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const anyTls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/;

/** The kind of TLS failure a code names, or undefined when the code is not about TLS at all (ECONNREFUSED...). */
export function classifyTlsCode(code: string): TlsProblem | undefined {
  if (untrusted.has(code)) return 'untrustedAuthority';
  if (expired.has(code)) return 'expired';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'wrongName';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') return 'notTls';
  return anyTls.test(code) ? 'other' : undefined;
}

export interface TlsFailureText {
  message: string;
  action: string;
}

const trustAction =
  'If your network or server uses its own certificate authority (a company proxy, a self-hosted server), add that CA to ' +
  "your operating system's trusted certificates (VS Code passes them on while http.systemCertificates is on), or set the " +
  'environment variable NODE_EXTRA_CA_CERTS to its PEM file and restart VS Code. Do not turn certificate checks off.';

/** The message and action for a TLS failure reaching `url`; undefined when `code` is not a TLS failure. */
export function tlsFailure(code: string, url: string): TlsFailureText | undefined {
  const problem = classifyTlsCode(code);
  if (!problem) return undefined;
  const host = hostOf(url);
  switch (problem) {
    case 'untrustedAuthority':
      return { message: `The certificate of ${host} is not trusted: it is signed by a certificate authority this computer does not trust (${code}).`, action: trustAction };
    case 'expired':
      return {
        message: `The certificate of ${host} is ${code === 'CERT_NOT_YET_VALID' ? 'not valid yet' : 'out of date'} (${code}).`,
        action: "Check this computer's clock; if it is right, the server's certificate must be renewed by whoever runs it.",
      };
    case 'wrongName':
      return { message: `The certificate of ${host} is for another name (${code}).`, action: `Check the base URL (${url}): use the host name the certificate was issued for.` };
    case 'notTls':
      return { message: `${host} does not answer https at that address (${code}).`, action: `Check the base URL (${url}): a server on this computer usually wants http://, not https://.` };
    case 'other':
      return { message: `Could not make a secure connection to ${host} (${code}).`, action: trustAction };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
