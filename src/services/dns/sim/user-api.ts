/**
 * @module services/dns/sim/user-api
 * `/api/user/{login,logout,session/get,createToken}`: the calls answered flat (fields at
 * the top level, not under `response`).
 */
import type { DnsAuth } from './auth.js';
import { DnsSimInvalidToken } from './params.js';
import type { DnsRoute } from './server.js';

/** Server facts reported with `includeInfo=true` and by `session/get`. */
export interface DnsServerInfo {
  version: string;
  dnsServerDomain: string;
  defaultRecordTtl: number;
  uptimestamp: string;
}

const SECTIONS = ['Dashboard', 'Zones', 'Cache', 'Allowed', 'Blocked', 'Apps', 'DnsClient', 'Settings', 'DhcpServer', 'Administration', 'Logs'];

function sessionInfo(auth: DnsAuth, username: string, token: string, info: DnsServerInfo, withInfo: boolean): Record<string, unknown> {
  const user = auth.users.get(username);
  const out: Record<string, unknown> = {
    displayName: user?.displayName ?? username, username, isSsoUser: false, totpEnabled: Boolean(user?.totpSecret), token,
  };
  if (withInfo) {
    out.info = {
      version: info.version, dnsServerDomain: info.dnsServerDomain, defaultRecordTtl: info.defaultRecordTtl,
      defaultNsRecordTtl: 3600, defaultSoaRecordTtl: 900,
      permissions: Object.fromEntries(SECTIONS.map((s) => [s, { canView: true, canModify: true, canDelete: true }])),
    };
  }
  return out;
}

/** The user routes of one server. */
export function userRoutes(auth: DnsAuth, info: DnsServerInfo): Record<string, DnsRoute> {
  return {
    '/api/user/login': {
      auth: false, flat: true,
      run: async ({ p }) => {
        const user = await auth.verify(p);
        const token = auth.issue(user.username, 'Standard');
        return sessionInfo(auth, user.username, token, info, p.bool('includeInfo'));
      },
    },
    '/api/user/createToken': {
      auth: false, flat: true,
      run: async ({ p, sim }) => {
        let username: string;
        if (p.get('user') !== undefined) username = (await auth.verify(p)).username;
        else username = auth.check(auth.tokenOf(sim.req.headers.authorization, p)).session.username;
        const tokenName = p.need('tokenName');
        return { username, tokenName, token: auth.issue(username, 'ApiToken', tokenName) };
      },
    },
    '/api/user/logout': {
      auth: true, flat: true,
      run: ({ token }) => {
        if (!token) throw new DnsSimInvalidToken();
        auth.sessions.delete(token);
        return {};
      },
    },
    '/api/user/session/get': {
      auth: true, flat: true,
      run: ({ token, username }) => sessionInfo(auth, username ?? '', token ?? '', info, true),
    },
  };
}
