/**
 * Key material of a throwaway control plane, made with the openssl command line: a CA, the API
 * server's serving certificate (valid for the loopback address and the in-cluster names) and the
 * service-account signing key pair. Nothing leaves the cluster's temp directory.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ClusterCerts {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  saPublicKey: string;
  saPrivateKey: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await exec('openssl', args, { cwd });
}

export async function generateCerts(dir: string, serviceIP: string): Promise<ClusterCerts> {
  const file = (name: string) => path.join(dir, name);
  const certs: ClusterCerts = {
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    serverCert: file('apiserver.crt'),
    serverKey: file('apiserver.key'),
    saPublicKey: file('sa.pub'),
    saPrivateKey: file('sa.key'),
  };
  const days = '30';
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      certs.caKey,
      '-out',
      certs.caCert,
      '-days',
      days,
      '-subj',
      '/CN=pipeline-toolkit-test-ca',
    ],
    dir,
  );

  const sans = [
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    'IP:127.0.0.1',
    `IP:${serviceIP}`,
  ];
  await writeFile(
    file('apiserver.ext'),
    `subjectAltName=${sans.join(',')}\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  await openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      certs.serverKey,
      '-out',
      file('apiserver.csr'),
      '-subj',
      '/CN=kube-apiserver',
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      file('apiserver.csr'),
      '-CA',
      certs.caCert,
      '-CAkey',
      certs.caKey,
      '-CAcreateserial',
      '-out',
      certs.serverCert,
      '-days',
      days,
      '-extfile',
      file('apiserver.ext'),
    ],
    dir,
  );

  // Service-account tokens are signed with RS256 by default, so this key is RSA.
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', certs.saPrivateKey], dir);
  await openssl(['pkey', '-in', certs.saPrivateKey, '-pubout', '-out', certs.saPublicKey], dir);
  return certs;
}
