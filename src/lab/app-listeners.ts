/**
 * @module lab/app-listeners
 * The lab's stand-ins for its guests' apps, so that `check --probe` has something real to
 * reach without leaving the machine: one loopback TCP listener that every app of the
 * inventory maps to (it accepts and closes), and for the hand-made app
 * (`trouble.handMadeApp`) loopback port 1, where nothing listens. The lab writes the map from each simulated `address:port` to its
 * listener into `check.probe_map`, with `probe_unmapped: false`, so the probe connects to
 * 127.0.0.1 only, and targets the lab does not know (an address a test exposes) are not probed.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { guestById, guests } from './inventory.js';
import { trouble } from './trouble.js';

/** Where the hand-made app's stopped stack is probed: a loopback port no listener ever has. */
export const NOTHING_LISTENS = '127.0.0.1:1';

/** The running listeners and the map the lab writes into config.yaml. */
export interface AppListeners {
  /** Simulated `address:port` → `127.0.0.1:port`. */
  probeMap: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the listener every app of the inventory maps to; the hand-made app's port is refused (`NOTHING_LISTENS`). */
export async function startAppListeners(): Promise<AppListeners> {
  // The apps only need to accept a connection: one listener stands in for all of them.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.end();
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const probeMap: Record<string, string> = {};
  for (const g of guests) if (g.app && g.ip) probeMap[`${g.ip}:${g.app.port}`] = `127.0.0.1:${port}`;
  // The app's stack is stopped: its port is one nothing listens on by design (tcpmux, port 1,
  // unused on Linux and below the ephemeral range, so no other listener is ever given it),
  // not a port closed a moment ago that another test's listener could take.
  const made = trouble.handMadeApp;
  probeMap[`${guestById(made.of).ip}:${made.port}`] = NOTHING_LISTENS;
  return {
    probeMap,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
