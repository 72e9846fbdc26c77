/**
 * @module lab/app-listeners
 * The lab's stand-ins for its guests' apps, so that `check --probe` has something real to
 * reach without leaving the machine: one loopback TCP listener per app of the inventory
 * (it accepts and closes), and for the hand-made app (`trouble.handMadeApp`) a loopback port
 * where nothing listens. The lab writes the map from each simulated `address:port` to its
 * listener into `check.probe_map`, with `probe_unmapped: false`, so the probe connects to
 * 127.0.0.1 only, and targets the lab does not know (an address a test exposes) are not probed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { guestById, guests, trouble } from './inventory.js';

/** The running listeners and the map the lab writes into config.yaml. */
export interface AppListeners {
  /** Simulated `address:port` → `127.0.0.1:port`. */
  probeMap: Record<string, string>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts a listener for every app of the inventory; the hand-made app's port is closed. */
export async function startAppListeners(): Promise<AppListeners> {
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const probeMap: Record<string, string> = {};
  for (const g of guests) {
    if (!g.app || !g.ip) continue;
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.end();
    });
    servers.push(server);
    probeMap[`${g.ip}:${g.app.port}`] = `127.0.0.1:${await listen(server)}`;
  }
  // A port that was free a moment ago and is closed now: the app's stack is stopped.
  const made = trouble.handMadeApp;
  const gone = createServer();
  const port = await listen(gone);
  await close(gone, new Set());
  probeMap[`${guestById(made.of).ip}:${made.port}`] = `127.0.0.1:${port}`;
  return {
    probeMap,
    close: async () => { await Promise.all(servers.map((s) => close(s, sockets))); },
  };
}
