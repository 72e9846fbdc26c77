#!/usr/bin/env node
/**
 * Copies the endpoints the PVE simulator implements out of the full API schema
 * (../shared/api/schema/pve-api.json, the PVE 9.1 API-viewer dump) into
 * src/services/pve/sim/pve-schema.json. The endpoint records are kept unchanged;
 * only the list is cut down. The output is committed: a fresh clone has no ../shared.
 *
 * Usage: node scripts/extract-pve-schema.mjs [path/to/pve-api.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? join(root, '..', 'shared', 'api', 'schema', 'pve-api.json');
const target = join(root, 'src', 'services', 'pve', 'sim', 'pve-schema.json');

/** Every endpoint the simulator serves, as "METHOD /path". */
const wanted = [
  'GET /version',
  'GET /nodes',
  'GET /nodes/{node}/status',
  // Node history for the dashboard's charts (issue 13).
  'GET /nodes/{node}/rrddata',
  'GET /cluster/resources',
  // Node addresses for homelab check (issue 12).
  'GET /cluster/status',
  'GET /cluster/tasks',
  'GET /access/permissions',
  'POST /access/ticket',
  'GET /nodes/{node}/certificates/info',
  'GET /nodes/{node}/apt/update',
  'POST /nodes/{node}/apt/update',
  'GET /nodes/{node}/apt/versions',
  // The storage configuration: a pbs storage's datastore and namespace (homelab check).
  'GET /storage',
  'GET /nodes/{node}/storage',
  'GET /nodes/{node}/storage/{storage}/status',
  'GET /nodes/{node}/storage/{storage}/content',
  'GET /nodes/{node}/tasks',
  'GET /nodes/{node}/tasks/{upid}',
  'DELETE /nodes/{node}/tasks/{upid}',
  'GET /nodes/{node}/tasks/{upid}/status',
  'GET /nodes/{node}/tasks/{upid}/log',
  // Guest lifecycle (issue 11): next id, templates, appliances, create, clone, config,
  // resize, addresses, migrate, backup, restore, destroy, backup coverage.
  'GET /cluster/nextid',
  'GET /nodes/{node}/aplinfo',
  'POST /nodes/{node}/aplinfo',
  'POST /nodes/{node}/lxc',
  'POST /nodes/{node}/qemu',
  'POST /nodes/{node}/vzdump',
  'GET /nodes/{node}/vzdump/extractconfig',
  'GET /cluster/backup',
  'GET /cluster/backup-info/not-backed-up',
  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces',
  'GET /nodes/{node}/lxc/{vmid}/interfaces',
  'PUT /nodes/{node}/qemu/{vmid}/config',
  'PUT /nodes/{node}/lxc/{vmid}/config',
  // A node's bridges, checked before a container is created on one (pve create ct --bridge).
  'GET /nodes/{node}/network',
];
for (const type of ['qemu', 'lxc']) {
  const base = `/nodes/{node}/${type}`;
  wanted.push(
    `GET ${base}`,
    `GET ${base}/{vmid}/status/current`,
    `GET ${base}/{vmid}/config`,
    `GET ${base}/{vmid}/pending`,
    `GET ${base}/{vmid}/snapshot`,
    `POST ${base}/{vmid}/snapshot`,
    `DELETE ${base}/{vmid}/snapshot/{snapname}`,
    `GET ${base}/{vmid}/snapshot/{snapname}/config`,
    `POST ${base}/{vmid}/snapshot/{snapname}/rollback`,
    `POST ${base}/{vmid}/clone`,
    `PUT ${base}/{vmid}/resize`,
    `GET ${base}/{vmid}/migrate`,
    `POST ${base}/{vmid}/migrate`,
    `DELETE ${base}/{vmid}`,
  );
  const actions = type === 'qemu'
    ? ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume', 'reset']
    : ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'];
  for (const action of actions) wanted.push(`POST ${base}/{vmid}/status/${action}`);
}

const full = JSON.parse(readFileSync(source, 'utf8'));
const byKey = new Map(full.endpoints.map((e) => [`${e.method} ${e.path}`, e]));
const missing = wanted.filter((k) => !byKey.has(k));
if (missing.length > 0) {
  console.error(`not in ${source}:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
const out = {
  product: full.product,
  source: full.source,
  extractedFrom: 'shared/api/schema/pve-api.json by scripts/extract-pve-schema.mjs',
  notes: full.notes,
  knownDeviations: full.knownDeviations.filter((d) => wanted.includes(`${d.method} ${d.path}`)),
  endpoints: wanted.map((k) => byKey.get(k)),
};
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${out.endpoints.length} endpoints to ${target}`);
