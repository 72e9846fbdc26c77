/**
 * @module services/pbs/sim/routes-server
 * Server-level endpoints: `/version`, `/nodes/{node}/status` (with the certificate
 * fingerprint in `info.fingerprint`) and the ticket login `/access/ticket`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { guestById } from '../../../lab/inventory.js';
import { PbsHttpError, type Route } from './route.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** The PBS guest of the lab inventory (VMID 105). */
const PBS_GUEST = 105;

/** The server routes. */
export const serverRoutes: Route[] = [
  { method: 'GET', path: '/version', handle: ({ state }) => ({ data: state.version }) },
  {
    method: 'GET', path: '/nodes/{node}/status', anyPriv: ['Sys.Audit'],
    handle: ({ state }) => {
      const g = guestById(PBS_GUEST);
      const memTotal = g.memMiB * MiB;
      const rootTotal = g.diskGiB * GiB;
      return {
        data: {
          cpu: 0.0412, wait: 0.0031, loadavg: [0.21, 0.34, 0.29], uptime: 1_209_731,
          kversion: 'Linux 6.14.11-4-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4',
          cpuinfo: { model: 'AMD Ryzen 9 5950X 16-Core Processor', cpus: g.cores, sockets: 1 },
          memory: { total: memTotal, used: Math.round(memTotal * 0.41), free: Math.round(memTotal * 0.59) },
          swap: { total: 512 * MiB, used: 0, free: 512 * MiB },
          root: { total: rootTotal, used: Math.round(rootTotal * 0.18), avail: Math.round(rootTotal * 0.82) },
          'current-kernel': { sysname: 'Linux', release: '6.14.11-4-pve', version: '#1 SMP PREEMPT_DYNAMIC PMX 6.14.11-4', machine: 'x86_64' },
          'boot-info': { mode: 'efi', secureboot: false },
          info: { fingerprint: state.fingerprint },
        },
      };
    },
  },
  {
    method: 'POST', path: '/access/ticket', world: true,
    handle: ({ state, params }) => {
      const username = String(params.username);
      const password = typeof params.password === 'string' ? params.password : '';
      const renew = state.tickets.get(password);
      if (!(renew?.userid === username || (state.users.has(username) && state.users.get(username) === password))) {
        throw new PbsHttpError(401, 'permission check failed.');
      }
      const issued = Math.floor(Date.now() / 1000).toString(16).toUpperCase().padStart(8, '0');
      const ticket = `PBS:${username}:${issued}::${randomBytes(48).toString('base64')}`;
      const csrf = `${issued}:${createHmac('sha256', 'pbs-sim').update(ticket).digest('base64').replace(/=+$/, '')}`;
      state.tickets.set(ticket, { userid: username, csrf });
      return { data: { username, ticket, CSRFPreventionToken: csrf } };
    },
  },
];
