// Checks ES256 JSON Web Tokens the way APNs and push services do: the signature against a known public key.
import { verify, type KeyObject } from 'node:crypto';

export interface VerifiedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The token's header and claims when its ES256 signature verifies with `publicKey`; null otherwise. */
export function verifyEs256Jwt(token: string, publicKey: KeyObject): VerifiedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, claims, signature] = parts;
  try {
    const decodedHeader = decodePart(header);
    if (decodedHeader.alg !== 'ES256') return null;
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      // JWS carries the raw r||s pair, not DER.
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    return valid ? { header: decodedHeader, claims: decodePart(claims) } : null;
  } catch {
    return null;
  }
}
