/**
 * @module services/proxy/sim/jwt
 * NPM's tokens: RS256 JWTs signed with a key pair the backend generates at first
 * start. The simulator makes one key pair per process and checks signature, shape and
 * `exp` the way the backend does (bad signature or garbage: 500, expired: 400).
 */
import { createSign, createVerify, generateKeyPair, type KeyObject } from 'node:crypto';

let keys: Promise<{ privateKey: KeyObject; publicKey: KeyObject }> | undefined;

/** The process-wide signing key pair (RSA 2048, generated once). */
export function signingKeys(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  keys ??= new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })));
  });
  return keys;
}

/** Claims of an NPM token. */
export interface NpmClaims {
  attrs: { id: number };
  scope: string[];
  jti: string;
  iat: number;
  exp: number;
}

const b64 = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

/** Signs claims as an RS256 JWT. */
export function signJwt(claims: NpmClaims, privateKey: KeyObject): string {
  const head = `${b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(head).sign(privateKey);
  return `${head}.${b64(signature)}`;
}

/** Why a token was refused. */
export type JwtProblem = 'invalid' | 'expired';

/** Verifies a JWT; returns its claims or the problem. `nowSeconds` is the server clock. */
export function verifyJwt(token: string, publicKey: KeyObject, nowSeconds: number): NpmClaims | JwtProblem {
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  const [head, body, sig] = parts as [string, string, string];
  try {
    const ok = createVerify('RSA-SHA256').update(`${head}.${body}`).verify(publicKey, Buffer.from(sig, 'base64url'));
    if (!ok) return 'invalid';
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as NpmClaims;
    if (typeof claims.exp !== 'number' || typeof claims.attrs?.id !== 'number') return 'invalid';
    return claims.exp <= nowSeconds ? 'expired' : claims;
  } catch {
    return 'invalid';
  }
}
