/**
 * @module services/pve/sim/routes/apt
 * APT routes: the pending updates of a node (needs `Sys.Modify`), refreshing the package
 * index as an `aptupdate` task, and the installed Proxmox package versions.
 */
import { req, type RouteTable } from '../context.js';
import { aptUpdateLines } from '../task-logs.js';

/** The APT routes. */
export const aptRoutes: RouteTable = {
  'GET /nodes/{node}/apt/update': (ctx) => ({ data: ctx.state.updates.get(req(ctx, 'node')) ?? [] }),
  'POST /nodes/{node}/apt/update': (ctx) => ({
    data: ctx.tasks.start({ node: req(ctx, 'node'), type: 'aptupdate', id: '', user: ctx.identity.authid, lines: aptUpdateLines() }).upid,
  }),
  'GET /nodes/{node}/apt/versions': (ctx) => ({ data: ctx.state.versions }),
};
