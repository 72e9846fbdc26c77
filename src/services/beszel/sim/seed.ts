/**
 * @module services/beszel/sim/seed
 * Fills the simulated hub: the users (an admin and a user who sees no systems, plus the
 * matching superuser Beszel creates), one `systems` record per profile with the short
 * `info` keys, samples in `system_stats` and `container_stats` for every range `beszel
 * history` reads (an hour of `1m`, 12 h of `10m`, a day of `20m`, a week of `120m` and 30
 * days of `480m`, as the hub keeps them; a down system has a day of `120m` before it went down), and the alerts (a triggered Status alert on the down system, a
 * triggered Disk alert on the full one). Values vary with a deterministic wave.
 */
import { RecordStore, pbDate, recordId, type SimRecord } from './records.js';
import { systemProfiles, type SystemProfile } from './profiles.js';

/** Accounts of the simulated hub. */
export interface SeedAccounts {
  email: string;
  password: string;
  /** Whether the admin user is verified (users added by hand may not be). */
  verified: boolean;
}

/** The second, verified user that belongs to no system. */
export const OTHER_USER = { email: 'ops@home.lan', password: 'ops-lab-password' };

const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function wave(seed: string, i: number): number {
  const phase = (recordId(seed).charCodeAt(0) % 17) / 3;
  return Math.sin(i / 6 + phase) * 0.6 + Math.sin(i / 2.3 + phase * 2) * 0.4;
}

/** One `system_stats.stats` object for sample `i` of a profile. */
export function statsSample(p: SystemProfile, i: number, aggregated: boolean): Record<string, unknown> {
  const w = wave(p.name, i);
  const cpu = round(clamp(p.cpu * (1 + 0.35 * w), 0.1, 100));
  const mp = round(clamp(p.mp * (1 + 0.04 * w), 1, 99.9));
  const mu = round((p.memGb * mp) / 100);
  const du = round((p.diskGb * p.dp) / 100);
  const net = Math.max(0, Math.round(p.netBps * (1 + 0.5 * w)));
  const load = round((p.cores * cpu) / 100 + 0.05);
  const stats: Record<string, unknown> = {
    cpu, cpub: [round(cpu * 0.7), round(cpu * 0.25), round(cpu * 0.05), 0, round(100 - cpu)],
    la: [load, round(load * 0.9), round(load * 0.8)],
    m: round(p.memGb), mu, mp, mb: round(p.memGb * 0.12), s: 0, su: 0,
    d: round(p.diskGb), du, dp: round(p.dp, 1), dio: [Math.round(net / 8), Math.round(net / 5)],
    b: [Math.round(net * 0.45), Math.round(net * 0.55)],
    ni: Object.fromEntries(p.ifaces.map((name, k) => {
      const share = k === 0 ? 1 : 0.02;
      return [name, [Math.round(net * 0.45 * share), Math.round(net * 0.55 * share), Math.round(net * 86_400 * 9 * share), Math.round(net * 86_400 * 11 * share)]];
    })),
  };
  if (p.temps) stats.t = Object.fromEntries(Object.entries(p.temps).map(([k, v]) => [k, round(v + 3 * w, 1)]));
  if (p.efs) stats.efs = Object.fromEntries(Object.entries(p.efs).map(([k, [d, pct]]) => [k, { d, du: round((d * pct) / 100), r: 0.4, w: 1.2 }]));
  if (aggregated) Object.assign(stats, { cpum: round(clamp(cpu * 1.8, 0, 100)), mm: round(mu * 1.1), bm: [net, net] });
  return stats;
}

/** One `container_stats.stats` array for sample `i`. */
export function containerSample(p: SystemProfile, i: number): Record<string, unknown>[] {
  return (p.containers ?? []).map((c) => {
    const w = wave(`${p.name}/${c.name}`, i);
    const net = Math.round(c.netBps * (1 + 0.5 * w));
    return { n: c.name, c: round(clamp(c.cpu * (1 + 0.4 * w), 0, 100)), m: round(c.memMb * (1 + 0.03 * w)), b: [Math.round(net * 0.4), Math.round(net * 0.6)] };
  });
}

/** The `systems.info` summary of a profile (legacy keys for old agents). */
export function systemInfo(p: SystemProfile): Record<string, unknown> {
  const last = statsSample(p, 59, false);
  const la = last.la as number[];
  const temps = p.temps ? Object.values(last.t as Record<string, number>) : [];
  const legacy = p.agent.startsWith('0.12.');
  const info: Record<string, unknown> = {
    cpu: last.cpu, mp: last.mp, dp: last.dp, u: p.uptimeDays * 86_400 + 3_917, v: p.agent,
  };
  if (legacy) {
    Object.assign(info, { b: round(p.netBps / 1_000_000, 2), l1: la[0], l5: la[1], l15: la[2], h: p.name, k: '6.8.12-4-pve', c: p.cores, m: 'QEMU Virtual CPU version 2.5+', os: 0 });
  } else {
    Object.assign(info, { la, t: p.cores, bb: p.netBps, ct: 2 });
    if (temps.length) info.dt = Math.max(...temps);
    if (p.efs) info.efs = Object.fromEntries(Object.entries(p.efs).map(([k, [, pct]]) => [k, pct]));
  }
  return info;
}

/** How long after the newest `1m` sample the newest record of each longer bucket was written. */
const AGGREGATED_AFTER_MS = 5_000;

/** Builds the seeded record store; `now` anchors every timestamp. */
export function seedStore(accounts: SeedAccounts, now: number): RecordStore {
  const store = new RecordStore();
  const created = pbDate(now - 200 * 86_400_000);
  const admin = store.add('users', {
    id: recordId('user:admin'), email: accounts.email, username: accounts.email.split('@')[0] ?? 'admin', verified: accounts.verified,
    role: 'admin', emailVisibility: false, created, updated: created,
  });
  store.passwords.set(admin.id, accounts.password);
  const other = store.add('users', { id: recordId('user:ops'), email: OTHER_USER.email, username: 'ops', verified: true, role: 'user', emailVisibility: false, created, updated: created });
  store.passwords.set(other.id, OTHER_USER.password);
  const su = store.add('_superusers', { id: recordId('su:admin'), email: accounts.email, verified: true, emailVisibility: false, created, updated: created });
  store.passwords.set(su.id, accounts.password);

  for (const p of systemProfiles()) {
    const id = recordId(`system:${p.name}`);
    const end = p.downHours ? now - p.downHours * 3_600_000 : now;
    store.add('systems', {
      id, name: p.name, host: p.host, port: '45876', status: p.downHours ? 'down' : 'up', info: systemInfo(p),
      users: [admin.id], created, updated: pbDate(end - 20_000),
    });
    const series: [string, number, number][] = p.downHours ? [['120m', 12, 7_200_000]]
      : [['1m', 60, 60_000], ['10m', 72, 600_000], ['20m', 72, 1_200_000], ['120m', 84, 7_200_000], ['480m', 90, 28_800_000]];
    for (const [type, count, step] of series) {
      for (let i = 0; i < count; i++) {
        // A longer bucket's average is written when the hub's aggregation runs, after the minute it
        // follows: its newest record is newer than the newest `1m` one (a reader of "the latest"
        // that does not ask for `1m` gets an average).
        const at = pbDate(end - (count - 1 - i) * step - 30_000 + (type === '1m' ? 0 : AGGREGATED_AFTER_MS));
        const k = i + (60 - count);
        store.add('system_stats', { id: recordId(`ss:${p.name}:${type}:${i}`), system: id, type, stats: statsSample(p, k, type !== '1m'), created: at, updated: at });
        if (p.containers) store.add('container_stats', { id: recordId(`cs:${p.name}:${type}:${i}`), system: id, type, stats: containerSample(p, k), created: at, updated: at });
      }
    }
    const alert = (name: string, value: number, min: number, triggered: boolean): SimRecord =>
      store.add('alerts', { id: recordId(`alert:${p.name}:${name}`), user: admin.id, system: id, name, value, min, triggered, created, updated: created });
    alert('Status', 0, 1, Boolean(p.downHours));
    if (p.temps) { alert('CPU', 80, 10, false); alert('Temperature', 80, 5, false); }
    if (p.dp > 90) alert('Disk', 90, 10, true);
    if (p.containers) { alert('Memory', 90, 10, false); alert('Disk', 80, 10, false); }
  }
  return store;
}
