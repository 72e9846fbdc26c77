/**
 * @module services/proxy/sim/account
 * Health, tokens (login, 2FA completion, refresh), users (including the unauthenticated
 * first-user creation while `setup` is false), audit log, reports and settings.
 */
import { randomUUID } from 'node:crypto';
import { signJwt, signingKeys, verifyJwt } from './jwt.js';
import { checkBody, expandOf, idParam, notFound, NpmError, type NpmRoute } from './route.js';
import { tokenSchema, twoFactorSchema, userCreateSchema } from './schemas.js';
import { publicRow, type NpmStore } from './store.js';

/** Server facts the account routes need. */
export interface AccountOptions {
  version: string;
  /** Whether `GET /api/` reports `setup` (v2.13.0+). */
  reportsSetup: boolean;
  tokenLifetimeMs: number;
  now(): number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, M: 2_592_000_000, Q: 7_776_000_000, y: 31_536_000_000 };

/** Issues a token for a user: `{ token, expires }`. */
export async function issueToken(userId: number, lifetimeMs: number, nowMs: number, scope = 'user'): Promise<{ token: string; expires: string }> {
  const { privateKey } = await signingKeys();
  const iat = Math.floor(nowMs / 1000);
  const exp = Math.floor((nowMs + lifetimeMs) / 1000);
  return { token: signJwt({ attrs: { id: userId }, scope: [scope], jti: randomUUID().slice(0, 12), iat, exp }, privateKey), expires: new Date(exp * 1000).toISOString() };
}

async function verifyTotp(secret: string, code: string, nowMs: number): Promise<boolean> {
  const { TOTP, Secret } = await import('otpauth');
  return new TOTP({ secret: Secret.fromBase32(secret) }).validate({ token: code, timestamp: nowMs, window: 1 }) !== null;
}

function hostCounts(db: NpmStore): Record<string, number> {
  return { proxy: db.proxyHosts.live().length, redirection: db.redirectionHosts.live().length, stream: db.streams.live().length, dead: db.deadHosts.live().length };
}

/** The account and housekeeping routes. */
export function accountRoutes(o: AccountOptions): NpmRoute[] {
  const [major = 2, minor = 0, revision = 0] = o.version.split('.').map(Number);
  return [
    {
      method: 'GET', path: '/api/', auth: false,
      run: ({ db }) => ({ body: { status: 'OK', ...(o.reportsSetup ? { setup: db.users.live().length > 0 } : {}), version: { major, minor, revision } } }),
    },
    { method: 'GET', path: '/api/version/check', auth: false, run: () => ({ body: { current: `v${o.version}`, latest: `v${o.version}`, update_available: false } }) },
    { method: 'GET', path: '/api/schema', auth: false, run: () => ({ body: { openapi: '3.1.0', info: { title: 'Nginx Proxy Manager API', version: o.version }, paths: {} } }) },
    {
      method: 'POST', path: '/api/tokens', auth: false,
      run: async ({ db, body }) => {
        const data = checkBody(tokenSchema, body);
        const user = db.userByEmail(String(data.identity));
        const auth = user && db.auth.get(user.id);
        if (!user || !auth || user.is_disabled || auth.password !== data.secret) throw new NpmError(400, 'Invalid email or password', 'error.invalid-auth');
        if (auth.totpSecret) {
          const challenge = await issueToken(user.id, 5 * 60_000, o.now(), '2fa-challenge');
          return { body: { requires_2fa: true, challenge_token: challenge.token } };
        }
        return { body: await issueToken(user.id, o.tokenLifetimeMs, o.now()) };
      },
    },
    {
      method: 'POST', path: '/api/tokens/2fa', auth: false,
      run: async ({ db, body }) => {
        const data = checkBody(twoFactorSchema, body);
        const claims = verifyJwt(String(data.challenge_token), (await signingKeys()).publicKey, o.now() / 1000);
        if (typeof claims === 'string' || !claims.scope.includes('2fa-challenge')) throw new NpmError(400, 'Invalid or expired challenge token');
        const secret = db.auth.get(claims.attrs.id)?.totpSecret;
        if (!secret || !(await verifyTotp(secret, String(data.code), o.now()))) throw new NpmError(400, 'Invalid verification code');
        return { body: await issueToken(claims.attrs.id, o.tokenLifetimeMs, o.now()) };
      },
    },
    {
      method: 'GET', path: '/api/tokens', auth: true,
      run: async ({ user, query }) => {
        const raw = query.get('expiry');
        let lifetime = o.tokenLifetimeMs;
        if (raw) {
          const m = /^(\d+)(ms|[smhdwMQy])$/.exec(raw);
          if (!m) throw new NpmError(400, 'data/expiry must match pattern "^\\d+(y|Q|M|w|d|h|m|s|ms)$"');
          lifetime = Number(m[1]) * (UNITS[m[2] as string] ?? 0);
        }
        return { body: await issueToken(Number(user?.id), lifetime, o.now()) };
      },
    },
    {
      method: 'GET', path: '/api/users', auth: true,
      run: ({ db }) => ({ body: db.users.live().map((u) => db.userJson(u)) }),
    },
    {
      method: 'GET', path: '/api/users/:id', auth: true,
      run: (call) => {
        const id = call.params.id === 'me' ? Number(call.user?.id) : idParam(call);
        const row = call.db.users.get(id);
        if (!row) throw notFound(call.params.id ?? '');
        return { body: call.db.userJson(row) };
      },
    },
    {
      method: 'POST', path: '/api/users', auth: false,
      run: ({ db, body, user }) => {
        const firstUser = db.users.live().length === 0;
        if (!firstUser && !user) throw new NpmError(403, 'Permission Denied');
        const data = checkBody(userCreateSchema, body);
        const email = String(data.email).trim().toLowerCase();
        if (db.userByEmail(email)) throw new NpmError(400, 'Email address already in use');
        const row = db.users.insert({
          email, name: data.name, nickname: data.nickname, avatar: '', is_disabled: Boolean(data.is_disabled),
          roles: firstUser ? ['admin'] : (data.roles ?? []),
        });
        const auth = data.auth as { secret?: string } | undefined;
        db.auth.set(row.id, { password: auth?.secret ?? '' });
        db.audit(user ? Number(user.id) : row.id, 'user', row.id, 'created', { name: row.name });
        return { status: 201, body: db.userJson(row) };
      },
    },
    {
      method: 'GET', path: '/api/audit-log', auth: true,
      run: (call) => {
        const expand = expandOf(call, ['user']);
        const rows = [...call.db.auditLog.live()].reverse().slice(0, 100);
        return {
          body: rows.map((r) => {
            const out = publicRow(r);
            if (expand.has('user')) {
              const u = call.db.users.rows.find((x) => x.id === r.user_id);
              out.user = u ? call.db.userJson(u) : null;
            }
            return out;
          }),
        };
      },
    },
    {
      method: 'GET', path: '/api/audit-log/:id', auth: true,
      run: (call) => {
        const row = call.db.auditLog.get(idParam(call));
        if (!row) throw notFound(call.params.id ?? '');
        return { body: publicRow(row) };
      },
    },
    { method: 'GET', path: '/api/reports/hosts', auth: true, run: ({ db }) => ({ body: hostCounts(db) }) },
    {
      method: 'GET', path: '/api/settings', auth: true,
      run: ({ db }) => ({ body: [{ id: 'default-site', name: 'Default Site', description: 'What to show when Nginx is hit with an unknown Host', ...db.settings }] }),
    },
  ];
}
