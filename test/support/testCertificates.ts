// A certificate authority made at test time, and a server certificate it signed for 127.0.0.1 and localhost, written
// with the openssl command line (Node can check certificates but not issue them). Nothing is trusted by default: a
// test trusts the CA the way a user would (NODE_EXTRA_CA_CERTS, or a `ca` list).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA's certificate (PEM) and its path. */
  caPem: string;
  caFile: string;
  /** The server's certificate and key (PEM), for `https.createServer`. */
  server: { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr) : '';
    throw new Error(`openssl ${args[0]} failed (the TLS tests need the openssl command line): ${err instanceof Error ? err.message : String(err)} ${stderr}`);
  }
}

/** Makes a CA named `name` and a server certificate it signed, in `dir` (valid for two days). */
export function makeTestCertificates(dir: string, name: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  const caFile = join(dir, 'ca.pem');
  return {
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    server: { cert: readFileSync(join(dir, 'server.pem'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8') },
  };
}

/** Reads certificates `makeTestCertificates` wrote (the extension-host suite reads what the runner made). */
export function readTestCertificates(dir: string): TestCertificates {
  const caFile = join(dir, 'ca.pem');
  return {
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    server: { cert: readFileSync(join(dir, 'server.pem'), 'utf8'), key: readFileSync(join(dir, 'server.key'), 'utf8') },
  };
}
