/**
 * @module services/dns/sim/stats
 * The dashboard counters of the simulated server (`/api/dashboard/stats/get`): fixed,
 * plausible numbers for the lab's clients, scaled by the period asked for, with the
 * cache counter that `/api/cache/flush` empties.
 */
import { guests, lab } from '../../../lab/inventory.js';
import { DnsSimError, type Params } from './params.js';
import type { DnsStore } from './store.js';

/** Mutable counters of the simulated server. */
export interface DnsStats {
  cachedEntries: number;
  blockedZones: number;
  allowedZones: number;
  blockListZones: number;
}

const PERIODS: Record<string, number> = { lasthour: 1, lastday: 24, lastweek: 168, lastmonth: 720, lastyear: 8760, custom: 24 };

/** `/api/dashboard/stats/get`. */
export function dashboardStats(p: Params, store: DnsStore, stats: DnsStats): unknown {
  const type = (p.get('type') ?? 'LastHour').toLowerCase();
  const factor = PERIODS[type];
  if (factor === undefined) throw new DnsSimError(`Requested value '${p.get('type')}' was not found.`);
  const hourly = { noError: 1480, serverFailure: 3, nxDomain: 212, refused: 0, authoritative: 611, recursive: 402, cached: 478, blocked: 187, dropped: 0 };
  const n = (v: number): number => v * factor;
  const totalNoError = n(hourly.noError);
  const totalQueries = totalNoError + n(hourly.serverFailure) + n(hourly.nxDomain) + n(hourly.refused) + n(hourly.blocked);
  const clients = guests.filter((g) => g.ip && g.status === 'running');
  return {
    stats: {
      totalQueries, totalNoError, totalServerFailure: n(hourly.serverFailure), totalNxDomain: n(hourly.nxDomain),
      totalRefused: n(hourly.refused), totalAuthoritative: n(hourly.authoritative), totalRecursive: n(hourly.recursive),
      totalCached: n(hourly.cached), totalBlocked: n(hourly.blocked), totalDropped: n(hourly.dropped),
      totalClients: clients.length, zones: store.zones.size, cachedEntries: stats.cachedEntries,
      allowedZones: stats.allowedZones, blockedZones: stats.blockedZones, allowListZones: 0, blockListZones: stats.blockListZones,
    },
    mainChartData: {
      labelFormat: 'HH:mm',
      labels: ['-3h', '-2h', '-1h', 'now'],
      datasets: [{ label: 'Total', backgroundColor: 'rgba(102, 153, 255, 0.1)', borderColor: 'rgb(102, 153, 255)', borderWidth: 2, fill: true, data: [1, 1, 1, 1].map(() => Math.round(totalQueries / 4)) }],
    },
    topClients: clients.slice(0, 5).map((g, i) => ({ name: g.ip, domain: `${g.name}.${lab.zone}`, hits: n(400 - i * 60), rateLimited: false })),
    topDomains: [`git.${lab.zone}`, 'deb.debian.org', `status.${lab.zone}`, 'github.com'].map((name, i) => ({ name, hits: n(300 - i * 50) })),
    topBlockedDomains: ['ads.example.net', 'telemetry.example.com'].map((name, i) => ({ name, hits: n(120 - i * 50) })),
  };
}
