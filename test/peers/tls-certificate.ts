// A self-signed certificate for loopback TLS peers, made at test time so no key material is committed.
import { generate } from 'selfsigned';

export interface LocalCertificate {
  /** PEM private key of the server. */
  key: string;
  /** PEM certificate; clients trust it as their CA. */
  cert: string;
}

const SAN_DNS = 2;
const SAN_IP = 7;

let cached: Promise<LocalCertificate> | null = null;

/** One certificate per test process, valid for localhost, 127.0.0.1 and ::1. */
export function localCertificate(): Promise<LocalCertificate> {
  cached ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: SAN_DNS, value: 'localhost' },
          { type: SAN_IP, ip: '127.0.0.1' },
          { type: SAN_IP, ip: '::1' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return cached;
}
