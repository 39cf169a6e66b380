// The part of http_ece (Encrypted Content-Encoding for HTTP, RFC 8188) the Web Push peer uses; it ships no types.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  export interface DecryptParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    /** The receiver's ECDH key pair. */
    privateKey?: ECDH;
    /** The subscription's 16-byte auth secret, a Buffer or URL-safe base64. */
    authSecret?: Buffer | string;
    /** The sender's public key; read from the header for aes128gcm. */
    dh?: Buffer | string;
    rs?: number;
  }

  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
}
