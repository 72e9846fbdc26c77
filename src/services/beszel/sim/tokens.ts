/**
 * @module services/beszel/sim/tokens
 * PocketBase auth tokens as the simulator issues them: HS256 JWTs whose payload carries
 * `id`, `type: "auth"`, `collectionId`, `refreshable` and `exp` (the SDK reads `exp` to
 * judge `authStore.isValid`). The signing key includes a generation counter: rotating it
 * (what a password change or a new token key does on a real hub) invalidates every token
 * issued before, while their `exp` still lies in the future.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The claims of an issued token. */
export interface TokenClaims {
  id: string;
  type: 'auth';
  collectionId: string;
  refreshable: boolean;
  exp: number;
}

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** Issues and verifies tokens for the simulated hub. */
export class TokenIssuer {
  private readonly secret = randomBytes(32).toString('hex');
  private generation = 0;

  /** Issues a token for `id` in the collection, valid for `ttlSeconds`. */
  issue(id: string, collectionId: string, ttlSeconds: number): string {
    const claims: TokenClaims = { id, type: 'auth', collectionId, refreshable: true, exp: Math.floor(Date.now() / 1000) + ttlSeconds };
    const head = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
    return `${head}.${this.sign(head)}`;
  }

  /** The claims of a valid, unexpired token of the current generation; undefined otherwise. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      if (claims.type !== 'auth' || typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }

  /** Invalidates every token issued so far (their `exp` stays in the future). */
  rotate(): void {
    this.generation++;
  }

  private sign(data: string): string {
    return createHmac('sha256', `${this.secret}:${this.generation}`).update(data).digest('base64url');
  }
}
