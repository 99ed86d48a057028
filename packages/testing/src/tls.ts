import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
