/**
 * @module services/proxy/sim/seed
 * The lab's Nginx Proxy Manager, drawn from the inventory: a proxy host per web app
 * (forwarding to the guest's address and port) with its Let's Encrypt certificate
 * expiring after the app's `certDays` (git.home.lan within a week), the proxy host a
 * destroyed guest left behind (`trouble.destroyedGuest`), an app set up by hand with an
 * uploaded certificate that expired (`trouble.handMadeApp`), a custom wildcard
 * certificate whose `meta` holds a private key, a redirect, a stream, a 404 host, an
 * access list on the admin UIs, three users (one with 2FA) and the audit log.
 */
import { fqdn, guestById, guests, lab } from '../../../lab/inventory.js';
import { trouble } from '../../../lab/trouble.js';
import { npmTimestamp, type NpmStore, type Row } from './store.js';
import { nginxTest } from './nginx.js';

/** Logins of the seeded users. */
export interface SeededUsers {
  admin: { email: string; password: string };
  /** The dedicated automation account homelab uses. */
  automation: { email: string; password: string };
  /** An account with 2FA enabled. */
  twoFactor: { email: string; password: string; totpSecret: string };
}

/** The seeded users' logins. */
export const seededUsers: SeededUsers = {
  admin: { email: `admin@${lab.zone}`, password: 'lab-npm-admin' },
  automation: { email: `homelab@${lab.zone}`, password: 'lab-npm-automation' },
  twoFactor: { email: `alice@${lab.zone}`, password: 'lab-npm-alice', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP' },
};

const FAKE_PEM = (kind: string): string => `-----BEGIN ${kind}-----\nMIIBsimulatedhomelab${kind.replace(/ /g, '')}AAAA\n-----END ${kind}-----\n`;

function backdate(db: NpmStore, row: Row, daysAgo: number): void {
  row.created_on = npmTimestamp(new Date(db.now().getTime() - daysAgo * 86_400_000));
  row.modified_on = row.created_on;
}

/** Seeds the store; `trustForwardedProto` adds that field to proxy hosts (v2.14.0+). */
export function seedProxy(db: NpmStore, trustForwardedProto: boolean): void {
  const now = db.now().getTime();
  const user = (email: string, name: string, nickname: string, password: string, totpSecret?: string): Row => {
    const row = db.users.insert({ email, name, nickname, avatar: '', is_disabled: false, roles: ['admin'] });
    db.auth.set(row.id, { password, totpSecret });
    backdate(db, row, 400);
    return row;
  };
  const admin = user(seededUsers.admin.email, 'Administrator', 'Admin', seededUsers.admin.password);
  user(seededUsers.automation.email, 'homelab automation', 'homelab', seededUsers.automation.password);
  user(seededUsers.twoFactor.email, 'Alice', 'alice', seededUsers.twoFactor.password, seededUsers.twoFactor.totpSecret);
  const by = Number(admin.id);

  const lan = db.accessLists.insert({ owner_user_id: by, name: 'LAN only', satisfy_any: true, pass_auth: false, meta: {} });
  backdate(db, lan, 200);
  db.accessListItems.insert({ access_list_id: lan.id, username: 'admin', password: 'lan-basic-auth', meta: {} });
  db.accessListClients.insert({ access_list_id: lan.id, address: lab.subnet, directive: 'allow', meta: {} });
  db.accessListClients.insert({ access_list_id: lan.id, address: 'all', directive: 'deny', meta: {} });
  db.audit(by, 'access-list', lan.id, 'created', { name: lan.name });

  const wildcard = db.certificates.insert({
    owner_user_id: by, provider: 'other', nice_name: `${lab.zone} wildcard (internal CA)`, domain_names: [`*.${lab.zone}`],
    expires_on: npmTimestamp(new Date(now + 300 * 86_400_000)),
    meta: { certificate: FAKE_PEM('CERTIFICATE'), certificate_key: FAKE_PEM('PRIVATE KEY') },
  });
  backdate(db, wildcard, 65);
  db.audit(by, 'certificate', wildcard.id, 'created', { nice_name: wildcard.nice_name, provider: 'other' });

  for (const g of guests) {
    const app = g.app;
    if (!app) continue;
    const domain = fqdn(app.host);
    let certificateId = 0;
    if (app.certDays !== undefined) {
      const cert = db.certificates.insert({
        owner_user_id: by, provider: 'letsencrypt', nice_name: domain, domain_names: [domain],
        expires_on: npmTimestamp(new Date(now + app.certDays * 86_400_000)), meta: { dns_challenge: false, key_type: 'rsa' },
      });
      backdate(db, cert, 90 - app.certDays);
      db.audit(by, 'certificate', cert.id, app.certDays < 60 ? 'renewed' : 'created', { nice_name: domain, provider: 'letsencrypt' });
      certificateId = cert.id;
    }
    const host = db.proxyHosts.insert({
      owner_user_id: by, domain_names: [domain], forward_scheme: app.scheme, forward_host: g.ip, forward_port: app.port,
      access_list_id: g.tags.includes('infra') && g.name !== 'dns' ? lan.id : 0, certificate_id: certificateId,
      ssl_forced: certificateId > 0, caching_enabled: false, block_exploits: true,
      advanced_config: app.host === 'media' ? 'client_max_body_size 0;\nproxy_buffering off;' : '',
      meta: {}, allow_websocket_upgrade: Boolean(app.websockets), http2_support: certificateId > 0, enabled: true, locations: null,
      hsts_enabled: false, hsts_subdomains: false, ...(trustForwardedProto ? { trust_forwarded_proto: false } : {}),
    });
    backdate(db, host, 180);
    nginxTest(host, 'proxy_host');
    db.audit(by, 'proxy-host', host.id, 'created', { domain_names: [domain] });
  }

  // The app of the guest destroyed last month: its proxy host stayed behind, forwarding to nothing.
  const gone = trouble.destroyedGuest;
  const orphan = db.proxyHosts.insert({
    owner_user_id: by, domain_names: [fqdn(gone.app)], forward_scheme: 'http', forward_host: gone.ip, forward_port: gone.port,
    access_list_id: 0, certificate_id: 0, ssl_forced: false, caching_enabled: false, block_exploits: true, advanced_config: '',
    meta: {}, allow_websocket_upgrade: false, http2_support: false, enabled: true, locations: null,
    hsts_enabled: false, hsts_subdomains: false, ...(trustForwardedProto ? { trust_forwarded_proto: false } : {}),
  });
  backdate(db, orphan, 240);
  nginxTest(orphan, 'proxy_host');
  db.audit(by, 'proxy-host', orphan.id, 'created', { domain_names: orphan.domain_names });

  // An app set up by hand on dockge: an uploaded certificate that expired, and a backend that does not answer.
  const made = trouble.handMadeApp;
  const uploaded = db.certificates.insert({
    owner_user_id: by, provider: 'other', nice_name: `${fqdn(made.host)} (uploaded)`, domain_names: [fqdn(made.host)],
    expires_on: npmTimestamp(new Date(now + made.certDays * 86_400_000)),
    meta: { certificate: FAKE_PEM('CERTIFICATE'), certificate_key: FAKE_PEM('PRIVATE KEY') },
  });
  backdate(db, uploaded, 90 - made.certDays);
  db.audit(by, 'certificate', uploaded.id, 'created', { nice_name: uploaded.nice_name, provider: 'other' });
  const handMade = db.proxyHosts.insert({
    owner_user_id: by, domain_names: [fqdn(made.host)], forward_scheme: 'http', forward_host: guestById(made.of).ip, forward_port: made.port,
    access_list_id: 0, certificate_id: uploaded.id, ssl_forced: true, caching_enabled: false, block_exploits: true, advanced_config: '',
    meta: {}, allow_websocket_upgrade: false, http2_support: true, enabled: true, locations: null,
    hsts_enabled: false, hsts_subdomains: false, ...(trustForwardedProto ? { trust_forwarded_proto: false } : {}),
  });
  backdate(db, handMade, 90 - made.certDays);
  nginxTest(handMade, 'proxy_host');
  db.audit(by, 'proxy-host', handMade.id, 'created', { domain_names: handMade.domain_names });

  const ha = guests.find((g) => g.app?.host === 'ha');
  const redirect = db.redirectionHosts.insert({
    owner_user_id: by, domain_names: [fqdn('homeassistant')], forward_domain_name: fqdn(ha?.app?.host ?? 'ha'), forward_scheme: 'auto',
    forward_http_code: 301, preserve_path: true, certificate_id: 0, ssl_forced: false, block_exploits: true, advanced_config: '',
    meta: {}, http2_support: false, enabled: true, hsts_enabled: false, hsts_subdomains: false,
  });
  nginxTest(redirect, 'redirection_host');
  db.audit(by, 'redirection-host', redirect.id, 'created', { domain_names: redirect.domain_names });

  const dead = db.deadHosts.insert({
    owner_user_id: by, domain_names: [fqdn('wiki')], certificate_id: 0, ssl_forced: false, advanced_config: '',
    meta: {}, http2_support: false, enabled: true, hsts_enabled: false, hsts_subdomains: false,
  });
  nginxTest(dead, 'dead_host');
  db.audit(by, 'dead-host', dead.id, 'created', { domain_names: dead.domain_names });

  const forgejo = guests.find((g) => g.name === 'forgejo');
  const stream = db.streams.insert({
    owner_user_id: by, incoming_port: 2222, forwarding_host: forgejo?.ip ?? '10.5.0.12', forwarding_port: 22,
    tcp_forwarding: true, udp_forwarding: false, meta: {}, enabled: true, certificate_id: 0,
  });
  nginxTest(stream, 'stream');
  db.audit(by, 'stream', stream.id, 'created', { incoming_port: 2222 });
}
