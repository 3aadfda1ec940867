// Certificates for the extension-host tier's https tests: two CAs made for this run, one trusted the way a user trusts a
// company CA (NODE_EXTRA_CA_CERTS for the code-server process, on top of whatever file that variable named already),
// the other trusted nowhere. Returns the folder the suite reads them from, or undefined when openssl is missing.
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCertificates } from '../../test/support/testCertificates';

export function trustTestCertificates(runDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const dir = join(runDir, 'tls');
  rmSync(dir, { recursive: true, force: true });
  let trustedCa: string;
  try {
    trustedCa = makeTestCertificates(join(dir, 'trusted'), 'Hearth integration test CA (trusted)').caPem;
    makeTestCertificates(join(dir, 'untrusted'), 'Hearth integration test CA (not trusted)');
  } catch (err) {
    console.warn(`[integration] no https tests: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  const extra = join(dir, 'extra-ca.pem');
  const previous = env.NODE_EXTRA_CA_CERTS;
  writeFileSync(extra, previous ? `${readPemOrEmpty(previous)}\n` : '');
  appendFileSync(extra, trustedCa);
  env.NODE_EXTRA_CA_CERTS = extra;
  return dir;
}

function readPemOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
