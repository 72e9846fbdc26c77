/**
 * @module lab/sim-cert
 * The simulators' self-signed certificates for 127.0.0.1/localhost (an EC key, a year's
 * validity), each generated once per process, with the SHA-256 fingerprint a client pins;
 * a second one stands for a certificate renewed behind a pinned client's back.
 */
import { X509Certificate } from 'node:crypto';

/** A key pair and certificate with its SHA-256 fingerprint. */
export interface SimCert { key: string; cert: string; fingerprint: string }

let certCache: Promise<SimCert> | undefined;
let otherCertCache: Promise<SimCert> | undefined;

/** A self-signed certificate for 127.0.0.1/localhost, generated once per process. */
export function selfSignedCert(): Promise<SimCert> {
  certCache ??= generateCert();
  return certCache;
}

/** A second, different self-signed certificate (what a pinned client sees after a renewal). */
export function otherSelfSignedCert(): Promise<SimCert> {
  otherCertCache ??= generateCert();
  return otherCertCache;
}

function generateCert(): Promise<SimCert> {
  return (async () => {
    const selfsigned = await import('selfsigned');
    const notAfter = new Date(Date.now() + 365 * 86_400_000);
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'pve1.home.lan' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notAfterDate: notAfter,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    });
    const fingerprint = new X509Certificate(pems.cert).fingerprint256;
    return { key: pems.private, cert: pems.cert, fingerprint };
  })();
}
