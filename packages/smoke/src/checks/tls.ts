/**
 * TLS certificate asserts (`expect.tls`): one handshake of its own with the server, with the same
 * host, port and SNI as the request, reads the certificate the server presents. The chain is
 * verified against Node's trust store (the system's CAs plus NODE_EXTRA_CA_CERTS), the host name
 * with Node's own rules (tls.checkServerIdentity), and the expiry against `min-days-valid`.
 */
import { connect, checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import type { TlsExpect } from '../model.ts';
import { describeError, isTransientError } from '../outcome.ts';

const DAY_MS = 86_400_000;

export interface TlsFinding {
  problem?: string;
  /** The handshake itself failed for a reason worth retrying (refused, reset, timed out). */
  transient?: boolean;
}

export async function inspectTls(url: URL, expect: TlsExpect, options: { timeoutMs: number; now?: number }): Promise<TlsFinding> {
  if (url.protocol !== 'https:') return { problem: `tls asserts need an https:// URL, got ${url.protocol}//` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let handshake: { cert: PeerCertificate; authorizationError?: string };
  try {
    handshake = await peerCertificate(host, Number(url.port || 443), options.timeoutMs);
  } catch (error) {
    return { problem: `TLS handshake with ${url.host}: ${describeError(error)}`, transient: isTransientError(error) };
  }
  const { cert, authorizationError } = handshake;
  if (!cert.valid_to) return { problem: `${url.host} presented no certificate` };
  const hostname = expect.hostname ?? host;
  const mismatch = checkServerIdentity(hostname, cert);
  if (mismatch) return { problem: `the certificate is not valid for ${hostname}: it covers ${covers(cert)}` };
  const now = options.now ?? Date.now();
  const notAfter = Date.parse(cert.valid_to);
  const notBefore = Date.parse(cert.valid_from);
  const expiresOn = new Date(notAfter).toISOString().slice(0, 10);
  if (notBefore > now) return { problem: `the certificate of ${url.host} is not valid before ${new Date(notBefore).toISOString()}` };
  if (notAfter <= now) return { problem: `the certificate of ${url.host} expired on ${expiresOn}` };
  // The host name and the dates are reported above in their own words; any other verification error here.
  if (
    authorizationError &&
    authorizationError !== 'ERR_TLS_CERT_ALTNAME_INVALID' &&
    !/^CERT_(HAS_EXPIRED|NOT_YET_VALID)$/.test(authorizationError)
  ) {
    return { problem: `the certificate of ${url.host} is not trusted: ${authorizationError}` };
  }
  const daysLeft = Math.floor((notAfter - now) / DAY_MS);
  if (expect.minDaysValid !== undefined && notAfter - now < expect.minDaysValid * DAY_MS) {
    return {
      problem: `the certificate of ${url.host} expires on ${expiresOn} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'}), under the ${expect.minDaysValid} days required`,
    };
  }
  return {};
}

function peerCertificate(host: string, port: number, timeoutMs: number): Promise<{ cert: PeerCertificate; authorizationError?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      // SNI takes a DNS name only, never an IP address.
      ...(isIP(host) ? {} : { servername: host }),
      // Verification is done below, so that a bad certificate is described rather than refused.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), timeoutMs);
    socket.once('close', () => clearTimeout(timer));
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const error = socket.authorizationError as unknown;
      socket.destroy();
      resolve({ cert, ...(error ? { authorizationError: errorName(error) } : {}) });
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/** authorizationError is documented as an Error but is a code string in practice. */
function errorName(error: unknown): string {
  if (typeof error === 'string') return error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : String((error as { message?: unknown }).message ?? error);
}

/** The names a certificate is valid for: its subjectAltName, else its common name. */
function covers(cert: PeerCertificate): string {
  const names = cert.subjectaltname?.split(', ').map((n) => n.replace(/^IP Address:/, 'IP:')) ?? [];
  if (names.length) return names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const cn = cert.subject?.CN;
  return cn ? `CN=${Array.isArray(cn) ? cn.join(',') : cn}` : 'no name';
}
