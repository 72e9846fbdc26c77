/**
 * @module services/kuma/sim/monitor-events
 * The monitor events of the simulated Uptime Kuma (shared/api/uptime-kuma.md §4):
 * `getMonitorList`, `getMonitor`, `getMonitorBeats`, `add` (frozen schema: unknown keys
 * fail; 2.x needs `conditions`), `editMonitor` (copies a fixed field list: what is left
 * out becomes null or false), `deleteMonitor` (1.23 never answers the 3-argument form),
 * `pauseMonitor`, `resumeMonitor`, `addAPIKey`. The reads first write the push checks due.
 *
 * The order of answer and list push is Kuma's: `add`, `editMonitor`, `pauseMonitor` and
 * `resumeMonitor` push the list (1.23 `monitorList`, 2.x `updateMonitorIntoList`) and then
 * answer (`await server.sendMonitorList(socket); callback(…)`); `deleteMonitor` answers first
 * and pushes after (`callback(…); await server.sendMonitorList(socket)`), `listPushLagMs`
 * later. A client that reads its own change right after a delete's answer sees it only if
 * it waits for the push.
 */
import type { Socket } from 'socket.io';
import { addableKeys, defaultMonitor, editableFields, validateMonitor } from './fields.js';
import type { BeatRow } from './state.js';
import type { SocketDeps } from './socket.js';

/** The room of the (single) user's logged-in sockets. */
export const ROOM = 'user:1';

/** Answers an event. */
export type Reply = (value: unknown) => void;

/** Registers a handler; guarded events need a login first. */
export type On = (event: string, guarded: boolean, handler: (args: unknown[], reply: Reply, raw: unknown[]) => Promise<void> | void) => void;

/** Shared helpers of the socket handlers. */
export interface SimHelpers {
  deps: SocketDeps;
  /** A callback message in the server version's style. */
  m(english: string, key: string): { msg: string; msgi18n?: true };
  toJSON(id: number): Record<string, unknown>;
  list(): Record<string, Record<string, unknown>>;
  listUpdate(id: number): void;
  emitBeat(row: BeatRow | undefined): void;
  ownedId(value: unknown): number;
}

/** Registers the monitor events on one connection. */
export function monitorEvents(h: SimHelpers, on: On, socket: Socket): void {
  const { state, io, auth } = h.deps;
  const v2 = state.v2;
  const { m, toJSON, list, listUpdate, emitBeat, ownedId } = h;
  on('getMonitorList', true, (_args, reply) => {
    h.deps.runPushChecks();
    reply({ ok: true });
    socket.emit('monitorList', list());
  });
  on('getMonitor', true, ([id], reply) => {
    h.deps.runPushChecks();
    if (!state.monitors.has(Number(id))) throw new Error("Cannot read properties of null (reading 'toJSON')");
    reply({ ok: true, monitor: toJSON(Number(id)) });
  });
  on('getMonitorBeats', true, ([id, hours], reply) => {
    h.deps.runPushChecks();
    const since = Date.now() - Number(hours) * 3_600_000;
    reply({ ok: true, data: (state.beats.get(ownedId(id)) ?? []).filter((b) => Date.parse(`${b.time}Z`) >= since) });
  });
  on('add', true, ([monitor], reply) => {
    const payload = { ...(monitor as Record<string, unknown>) };
    const unknown = Object.keys(payload).find((k) => !addableKeys(v2).has(k));
    if (unknown) throw new Error(`SQLITE_ERROR: table monitor has no column named ${unknown}`);
    delete payload.id;
    const active = payload.active !== false;
    delete payload.active;
    const fields = defaultMonitor(v2, Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)));
    const error = validateMonitor(v2, { ...fields, accepted_statuscodes: payload.accepted_statuscodes, ...(v2 ? { conditions: payload.conditions } : {}) });
    if (error) throw new Error(error);
    const id = state.insert(fields, active);
    const beat = active ? state.check(id) : undefined;
    listUpdate(id);
    reply({ ok: true, ...m('Added Successfully.', 'successAdded'), monitorID: id });
    emitBeat(beat);
  });
  on('editMonitor', true, ([monitor], reply) => {
    const payload = (monitor ?? {}) as Record<string, unknown>;
    const id = Number(payload.id);
    const stored = state.monitors.get(id);
    if (!stored) throw new Error("Cannot read properties of null (reading 'user_id')");
    const next: Record<string, unknown> = { ...stored };
    for (const [key, kind] of editableFields(v2)) next[key] = payload[key] === undefined ? (kind === 'bool' ? false : null) : structuredClone(payload[key]);
    const error = validateMonitor(v2, next);
    if (error) throw new Error(error);
    state.monitors.set(id, next);
    const beat = next.active ? state.check(id) : undefined;
    listUpdate(id);
    reply({ ok: true, ...m('Saved.', 'successEdited'), monitorID: id });
    emitBeat(beat);
  });
  on('deleteMonitor', true, ([id], reply, raw) => {
    // 1.23 takes (monitorID, callback): a 3-argument call finds `false` as its callback and never answers.
    const answer: Reply = v2 ? reply : typeof raw[1] === 'function' ? (raw[1] as Reply) : () => undefined;
    const monitorId = Number(id);
    if (!state.monitors.has(monitorId)) return answer({ ok: false, msg: 'You do not own this monitor.' });
    state.monitors.delete(monitorId);
    state.beats.delete(monitorId);
    answer({ ok: true, ...m('Deleted Successfully.', 'successDeleted') });
    setTimeout(() => {
      if (v2) io.to(ROOM).emit('deleteMonitorFromList', monitorId);
      else io.to(ROOM).emit('monitorList', list());
    }, h.deps.faults.listPushLagMs ?? 0);
  });
  on('pauseMonitor', true, ([id], reply) => {
    const monitorId = ownedId(id);
    (state.monitors.get(monitorId) as Record<string, unknown>).active = false;
    listUpdate(monitorId);
    reply({ ok: true, ...m('Paused Successfully.', 'successPaused') });
  });
  on('resumeMonitor', true, ([id], reply) => {
    const monitorId = ownedId(id);
    (state.monitors.get(monitorId) as Record<string, unknown>).active = true;
    const beat = state.check(monitorId);
    listUpdate(monitorId);
    reply({ ok: true, ...m('Resumed Successfully.', 'successResumed') });
    emitBeat(beat);
  });
  on('addAPIKey', true, ([key], reply) => {
    const clear = auth.addApiKey(String((key as { name?: unknown } | undefined)?.name ?? 'key'));
    h.deps.onApiKey(clear);
    reply({ ok: true, ...m('Added Successfully.', 'successAdded'), key: clear, keyID: auth.apiKeys.length });
  });
}
