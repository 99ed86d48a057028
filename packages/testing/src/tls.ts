import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A self-signed P-256 certificate for 127.0.0.1 (one day), made with openssl, for HTTPS servers on loopback. */
export function loopbackCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ptk-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kubeconfig for a loopback API stand-in: one cluster without TLS verification, one bearer token. */
export function tokenKubeconfig(server: string, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: { server: "${server}", insecure-skip-tls-verify: true }
users:
- name: ci
  user: { token: ${token} }
contexts:
- name: test
  context: { cluster: test, user: ci }
current-context: test
`;
}

/** A certificate authority made with openssl for one test, which issues server certificates. */
export interface TestAuthority {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS points at to trust it. */
  caFile: string;
  /** Issues a P-256 server certificate for these subjectAltNames (`IP:127.0.0.1`, `DNS:localhost`), valid for `days`. */
  issue(names: string[], days: number): { key: Buffer; cert: Buffer };
  remove(): void;
}

export function testAuthority(): TestAuthority {
  const dir = mkdtempSync(path.join(tmpdir(), 'ptk-ca-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=pipeline-toolkit test CA']);
  let serial = 0;
  return {
    caFile: path.join(dir, 'ca.pem'),
    issue(names, days) {
      const name = `leaf-${++serial}`;
      openssl(['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${names[0]?.replace(/^\w+:/, '') ?? 'test'}`]);
      openssl([
        ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial)],
        ...['-days', String(days), '-out', `${name}.pem`, '-extfile', writeExt(dir, name, names)],
      ]);
      return { key: readFileSync(path.join(dir, `${name}.key`)), cert: readFileSync(path.join(dir, `${name}.pem`)) };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function writeExt(dir: string, name: string, names: string[]): string {
  const file = path.join(dir, `${name}.ext`);
  writeFileSync(file, `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
  return `${name}.ext`;
}
