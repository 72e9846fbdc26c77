/**
 * @module services/pve/sim/routes/power
 * Power actions: `POST /nodes/{node}/{qemu,lxc}/{vmid}/status/{action}`, each returning a
 * UPID at once.
 *
 * Where a refusal happens follows qemu-server's and pve-container's API code:
 * - QEMU `start`, `stop`, `shutdown` check nothing before forking: a running VM's start
 *   fails in the task (`VM 200 already running`), a stopped VM's stop/shutdown ends OK,
 *   a VM on another node fails in the task (`Configuration file '…' does not exist`).
 * - QEMU `reset`, `reboot`, `suspend`, `resume` die in the call itself (500) with
 *   `VM 200 not running` (or `unable to find configuration file for VM 201 on node
 *   'pve1'` when the VM is elsewhere); `shutdown`/`reboot` of a paused VM die with
 *   `VM is paused - cannot shutdown`. Suspend without `todisk` is task type `qmpause`.
 * - LXC checks the containers running on the called node in the call itself:
 *   `CT 100 already running` (start, resume), `CT 100 not running` (stop, shutdown,
 *   suspend) and, as in the source, `VM 100 not running` for reboot.
 * - Config locks (`VM is locked (snapshot)`) fail the task when it starts.
 * - A start whose NIC names a bridge the node lacks fails in the task (`noBridge`).
 */
import { bool, int, req, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { findGuest, loadError, lockError, runningLocally, type GuestType } from '../guest-lookup.js';
import { markStarted, markStopped } from '../guest-power.js';
import type { SimGuest } from '../state.js';
import type { TaskSpec } from '../tasks.js';
import { missingBridge } from './network.js';

const QEMU_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume', 'reset'] as const;
const LXC_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'] as const;
type Action = (typeof QEMU_ACTIONS)[number];

interface Call { ctx: RouteContext; type: GuestType; node: string; vmid: number; g: SimGuest | undefined }

/** Checks the call may fork, and describes the worker. */
function qemuTask(action: Action, c: Call): Omit<TaskSpec, 'node' | 'user'> {
  const { ctx, node, vmid } = c;
  const id = String(vmid);
  const present = (): string | undefined => loadError(ctx.state, 'qemu', node, vmid);
  const g = (): SimGuest | undefined => findGuest(ctx.state, 'qemu', node, vmid);
  const paused = c.g?.status === 'running' && c.g.qmpstatus === 'paused';
  const skiplock = bool(ctx, 'skiplock');
  const locked = (): string | undefined => { const x = g(); return x && !skiplock ? lockError(x) : undefined; };
  switch (action) {
    case 'start':
      return {
        type: 'qmstart', id, precheck: () => present() ?? (g()?.lock === 'suspended' ? undefined : locked()),
        check: () => {
          const x = g();
          if (!x) return present();
          if (x.template) return "you can't start a vm if it's a template";
          return x.status === 'running' ? `VM ${vmid} already running` : undefined;
        },
        apply: () => { const x = g(); if (x) { if (x.lock === 'suspended') delete x.lock; markStarted(x); } },
      };
    case 'stop':
    case 'shutdown': {
      if (action === 'shutdown' && paused && !bool(ctx, 'forceStop')) throw die('VM is paused - cannot shutdown');
      const missing = (): string | undefined => (g() ? undefined : `unable to find configuration file for VM ${vmid} on node '${node}'`);
      return {
        type: action === 'stop' ? 'qmstop' : 'qmshutdown', id,
        precheck: () => missing() ?? (g()?.status === 'running' ? locked() : undefined),
        apply: () => { const x = g(); if (x) markStopped(x); },
      };
    }
    case 'reset':
      if (!runningLocally(ctx.state, 'qemu', node, vmid)) throw die(`VM ${vmid} not running`);
      return { type: 'qmreset', id, precheck: locked };
    case 'reboot':
      if (paused) throw die('VM is paused - cannot shutdown');
      if (!runningLocally(ctx.state, 'qemu', node, vmid)) throw die(`VM ${vmid} not running`);
      return { type: 'qmreboot', id, precheck: locked, apply: () => { const x = g(); if (x) markStarted(x); } };
    case 'suspend': {
      if (!runningLocally(ctx.state, 'qemu', node, vmid)) throw die(`VM ${vmid} not running`);
      const todisk = bool(ctx, 'todisk');
      return {
        type: todisk ? 'qmsuspend' : 'qmpause', id, precheck: locked,
        lines: todisk ? ["suspending to disk on storage 'local-lvm'", 'suspend-to-disk finished'] : [],
        apply: () => {
          const x = g();
          if (!x) return;
          if (todisk) { markStopped(x); x.lock = 'suspended'; } else x.qmpstatus = 'paused';
        },
      };
    }
    case 'resume': {
      const toDisk = c.g?.lock === 'suspended';
      if (!toDisk && !runningLocally(ctx.state, 'qemu', node, vmid)) throw die(`VM ${vmid} not running`);
      return {
        type: 'qmresume', id,
        apply: () => {
          const x = g();
          if (!x) return;
          if (x.lock === 'suspended') { delete x.lock; markStarted(x); } else x.qmpstatus = 'running';
        },
      };
    }
  }
}

function lxcTask(action: Exclude<Action, 'reset'>, c: Call): Omit<TaskSpec, 'node' | 'user'> {
  const { ctx, node, vmid } = c;
  const id = String(vmid);
  const running = runningLocally(ctx.state, 'lxc', node, vmid);
  const g = (): SimGuest | undefined => findGuest(ctx.state, 'lxc', node, vmid);
  const loaded = (): string | undefined => loadError(ctx.state, 'lxc', node, vmid);
  const locked = (skip = false): string | undefined => { const x = g(); return x && !skip ? lockError(x) : undefined; };
  switch (action) {
    case 'start':
      if (running) throw die(`CT ${vmid} already running`);
      return {
        type: 'vzstart', id,
        precheck: () => loaded() ?? (g()?.template ? "you can't start a CT if it's a template" : locked(bool(ctx, 'skiplock'))),
        check: () => (g()?.status === 'running' ? `CT ${vmid} already running` : undefined),
        apply: () => { const x = g(); if (x) { x.checkpointed = false; markStarted(x); } },
      };
    case 'stop':
    case 'shutdown':
    case 'suspend':
      if (!running) throw die(`CT ${vmid} not running`);
      return {
        type: action === 'stop' ? 'vzstop' : action === 'shutdown' ? 'vzshutdown' : 'vzsuspend', id,
        precheck: () => loaded() ?? locked(action === 'stop' && bool(ctx, 'skiplock')),
        apply: () => { const x = g(); if (x) { markStopped(x); if (action === 'suspend') x.checkpointed = true; } },
      };
    case 'resume':
      if (running) throw die(`CT ${vmid} already running`);
      return {
        type: 'vzresume', id,
        check: () => (g()?.checkpointed ? undefined : `command 'lxc-checkpoint -n ${vmid} -r --foreground -D /var/lib/vz/dump' failed: exit code 1`),
        apply: () => { const x = g(); if (x) { x.checkpointed = false; markStarted(x); } },
      };
    case 'reboot':
      if (!running) throw die(`VM ${vmid} not running`);
      return { type: 'vzreboot', id, apply: () => { const x = g(); if (x) markStarted(x); } };
  }
}

/**
 * A start whose NIC names a bridge the node lacks: plugging the tap/veth device fails
 * (`PVE::Network`: `bridge 'vmbr9' does not exist`), so QEMU exits or the container's
 * start fails, after the usual checks.
 */
function noBridge(type: GuestType, vmid: number, bridge: string, spec: Omit<TaskSpec, 'node' | 'user'>): Omit<TaskSpec, 'node' | 'user'> {
  const lines = type === 'qemu'
    ? [`bridge '${bridge}' does not exist`,
      `kvm: -netdev type=tap,id=net0,ifname=tap${vmid}i0,script=/usr/libexec/qemu-server/pve-bridge,downscript=/usr/libexec/qemu-server/pve-bridgedown,vhost=on: network script /usr/libexec/qemu-server/pve-bridge failed with status 6400`]
    : [`bridge '${bridge}' does not exist`, `lxc-start: ${vmid}: ../src/lxc/network.c: lxc_create_network_priv: 3427 No such device - Failed to create network device`,
      `lxc-start: ${vmid}: ../src/lxc/start.c: __lxc_start: 2114 Failed to initialize container "${vmid}"`];
  const failed = type === 'qemu' ? 'start failed: QEMU exited with code 1' : `startup for container '${vmid}' failed`;
  return { ...spec, lines, check: () => spec.check?.() ?? failed };
}

function route(type: GuestType, action: Action) {
  return (ctx: RouteContext) => {
    const node = req(ctx, 'node');
    const vmid = int(ctx, 'vmid') ?? 0;
    const call: Call = { ctx, type, node, vmid, g: findGuest(ctx.state, type, node, vmid) };
    const spec = type === 'qemu' ? qemuTask(action, call) : lxcTask(action as Exclude<Action, 'reset'>, call);
    const bridge = action === 'start' && call.g ? missingBridge(ctx.state.nodes.get(node), call.g.config) : undefined;
    return { data: ctx.tasks.start({ ...spec, ...(bridge ? noBridge(type, vmid, bridge, spec) : {}), node, user: ctx.identity.authid }).upid };
  };
}

/** The power routes of both guest types. */
export const powerRoutes: RouteTable = Object.fromEntries([
  ...QEMU_ACTIONS.map((a) => [`POST /nodes/{node}/qemu/{vmid}/status/${a}`, route('qemu', a)]),
  ...LXC_ACTIONS.map((a) => [`POST /nodes/{node}/lxc/{vmid}/status/${a}`, route('lxc', a)]),
]);
