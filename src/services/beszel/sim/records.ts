/**
 * @module services/beszel/sim/records
 * The simulated hub's data model: the collections Beszel defines (ids, field names),
 * PocketBase record ids and datetime strings, and the record store.
 */
import { createHash } from 'node:crypto';

/** A stored record: PocketBase adds `collectionId` and `collectionName` when it answers. */
export type SimRecord = Record<string, unknown> & { id: string; created: string; updated: string };

/** A collection the simulator serves. */
export interface SimCollection {
  id: string;
  name: string;
  /** Top-level field names (filters and sorts on other names are refused with 400). */
  fields: readonly string[];
}

const BASE = ['id', 'created', 'updated'];

/** The collections of a Beszel hub (v0.18.x) the simulator serves, keyed by name. */
export const COLLECTIONS: Record<string, SimCollection> = {
  users: { id: '_pb_users_auth_', name: 'users', fields: [...BASE, 'email', 'username', 'verified', 'role', 'emailVisibility'] },
  _superusers: { id: 'pbc_3142635823', name: '_superusers', fields: [...BASE, 'email', 'verified', 'emailVisibility'] },
  systems: { id: '2hz5ncl8tizk5nx', name: 'systems', fields: [...BASE, 'name', 'host', 'port', 'status', 'info', 'users'] },
  system_stats: { id: 'ej9oowivz8b2mht', name: 'system_stats', fields: [...BASE, 'system', 'type', 'stats'] },
  container_stats: { id: 'juohu4jipgc13v7', name: 'container_stats', fields: [...BASE, 'system', 'type', 'stats'] },
  alerts: { id: 'elngm8x1l60zi2v', name: 'alerts', fields: [...BASE, 'user', 'system', 'name', 'value', 'min', 'triggered'] },
};

/** A deterministic 15-character PocketBase id (`[a-z0-9]`) derived from `seed`. */
export function recordId(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 15; i++) id += alphabet[(digest[i] as number) % alphabet.length];
  return id;
}

/** A PocketBase datetime string: UTC with a space separator, `2026-08-21 17:30:19.123Z`. */
export function pbDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ');
}

/** The record store: one array per collection, plus the passwords of auth records. */
export class RecordStore {
  readonly data = new Map<string, SimRecord[]>(Object.keys(COLLECTIONS).map((name) => [name, []]));
  /** Password per auth record id. */
  readonly passwords = new Map<string, string>();

  /** Every record of a collection. */
  all(collection: string): SimRecord[] {
    return this.data.get(collection) ?? [];
  }

  /** Adds a record. */
  add(collection: string, record: SimRecord): SimRecord {
    this.all(collection).push(record);
    return record;
  }

  /** The record with this id, if any. */
  find(collection: string, id: string): SimRecord | undefined {
    return this.all(collection).find((r) => r.id === id);
  }

  /** A record as the API shows it: with `collectionId` and `collectionName`. */
  present(collection: string, record: SimRecord): Record<string, unknown> {
    const meta = COLLECTIONS[collection] as SimCollection;
    return { collectionId: meta.id, collectionName: meta.name, ...structuredClone(record) };
  }
}
