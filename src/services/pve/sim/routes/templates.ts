/**
 * @module services/pve/sim/routes/templates
 * The appliance index: `GET /nodes/{node}/aplinfo` lists the downloadable container
 * templates; `POST` downloads one to a storage with `vztmpl` content as a `download`
 * task, after which it is a `vztmpl` volume there.
 */
import { appliances } from '../../../../lab/appliance-index.js';
import { aplinfoEntry, templateVolume } from '../appliances.js';
import { req, type RouteTable } from '../context.js';
import { die, paramError } from '../errors.js';

/** The template routes. */
export const templateRoutes: RouteTable = {
  'GET /nodes/{node}/aplinfo': () => ({ data: appliances.map(aplinfoEntry) }),
  'POST /nodes/{node}/aplinfo': (ctx) => {
    const node = req(ctx, 'node');
    const name = req(ctx, 'template');
    const storageId = req(ctx, 'storage');
    const appliance = appliances.find((a) => a.template === name);
    if (!appliance) throw paramError({ template: 'no such template' });
    const storage = ctx.state.storages.find((s) => s.storage === storageId);
    if (!storage) throw die(`storage '${storageId}' does not exist`);
    if (!storage.nodes.includes(node)) throw die(`storage '${storageId}' is not available on node '${node}'`);
    if (!storage.content.includes('vztmpl')) throw die(`storage '${storageId}' does not support templates`);
    const entry = aplinfoEntry(appliance);
    const path = storage.type === 'dir' ? `/var/lib/vz/template/cache/${name}` : `/mnt/pve/${storageId}/template/cache/${name}`;
    const mib = (appliance.size / 1024 ** 2).toFixed(1);
    return {
      data: ctx.tasks.start({
        node, type: 'download', id: name, user: ctx.identity.authid,
        lines: [
          `starting template download from: ${String(entry.location)}`,
          `target file: ${path}`,
          `${mib} MiB downloaded`,
          `download of '${String(entry.location)}' to '${path}' finished`,
          `calculating checksum of '${path}.tmp.${1000 + (appliance.size % 9000)}'...OK, checksum verified`,
        ],
        apply: () => {
          const volid = `${storageId}:vztmpl/${name}`;
          const nodeOf = storage.shared ? undefined : node;
          ctx.state.volumes = ctx.state.volumes.filter((v) => !(v.volid === volid && v.node === nodeOf));
          const vol = templateVolume(appliance, node, Math.floor(Date.now() / 1000), storageId);
          if (storage.shared) delete vol.node;
          ctx.state.volumes.push(vol);
        },
      }).upid,
    };
  },
};
