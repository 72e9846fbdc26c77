/**
 * @module services/hub/desired-records
 * The plan steps for lab.yaml's `records:` against the zone's live records (pure). A
 * record homelab manages this way carries the marker `managed-by: homelab record` in its
 * comment (it belongs to no app). Only records with that marker are ever updated or
 * deleted; a wanted record that exists without the marker is a conflict (reported, left
 * alone: adopt it by writing its comment as the conflict says, `NAS · managed-by: homelab
 * record`). A comment that holds the marker's words in another form (`NAS; managed-by:
 * homelab record`, as some were written before) does not count; the conflict says so.
 *
 * An A or AAAA record to create where a record homelab did not mark has an address (A or AAAA)
 * is a conflict too, as with `expose`: a second address beside it would be a round-robin.
 *
 * Per name and type: a marked record with a wanted value is unchanged (an `unchanged` step), or updated when its
 * TTL differs (A/AAAA through `dns update`, CNAME re-pointed with `--replace`, TXT deleted
 * and added again); an A/AAAA/CNAME whose value changed is an update; the rest of the wanted
 * values are created, the rest of the marked records deleted (`danger`).
 */
import { isIPv6 } from 'node:net';
import { hasMarker, markerStandsApart, mentionsMarker, ownText } from '../../core/marker.js';
import type { PlanStep } from '../../orchestration/plan.js';
import type { LiveRecord } from './expose-live.js';
import type { LabRecord } from './lab-file.js';

/** The marker of a lab.yaml record, in the record's comment. */
export const RECORD_MARKER = 'managed-by: homelab record';

/** Whether a record's comment carries the lab-record marker (where homelab writes it: see `hasMarker`). */
export function isLabRecord(comments: string | null | undefined): boolean {
  return hasMarker(comments, RECORD_MARKER);
}

/** A record's comment with the lab-record marker in the form homelab recognises, the comment's own text kept: `NAS · managed-by: homelab record`. */
export function labRecordComment(comments: string | null | undefined): string {
  const own = ownText(comments, RECORD_MARKER);
  return own ? `${own} · ${RECORD_MARKER}` : RECORD_MARKER;
}

/**
 * How to adopt an unmarked record: the comment to write, and why when the comment holds the
 * marker in a form that does not count. The comment's own text is kept in it only when the
 * marker's words stand apart from it (`NAS; managed-by: homelab record`); words just before
 * them may negate them (`NOT managed-by: homelab record`), so the hint then names no text.
 */
function adoptHint(r: LiveRecord): string {
  const mentioned = mentionsMarker(r.comments, RECORD_MARKER);
  const comment = !mentioned || markerStandsApart(r.comments, RECORD_MARKER) ? labRecordComment(r.comments) : `<your note> · ${RECORD_MARKER}`;
  return mentioned
    ? `marker in an unrecognised form: write the comment as "${comment}"`
    : `to adopt it, write its comment as "${comment}"`;
}

/** The record's TTL (the listing carries it; `LiveRecord` does not type it). */
export function ttlOf(r: LiveRecord): number | null {
  const ttl = (r as { ttl?: unknown }).ttl;
  return typeof ttl === 'number' ? ttl : null;
}

const bare = (v: string): string => v.replace(/\.$/, '').toLowerCase();

/** A value as compared: addresses canonical, names bare, text as is. */
export function recordKey(type: string, value: string): string {
  if (type === 'AAAA' && isIPv6(value)) return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  return type === 'TXT' ? value : bare(value);
}

/** The plan for the records, what stands in the way, and the live records it deletes. */
export interface RecordsPlan {
  steps: PlanStep[];
  conflicts: string[];
  /** Live records the plan deletes or replaces (other plans must not count them as in the way). */
  removed: LiveRecord[];
}

const what = (type: string, fqdn: string, value: string): string => `DNS ${type} ${fqdn} → ${value}`;

function createStep(r: { fqdn: string; type: string; value: string; ttl?: number | undefined }, zone: string, comment: string, key: string): PlanStep {
  const ttl = r.ttl !== undefined ? { ttl: r.ttl } : {};
  const [op, input] = r.type === 'CNAME' ? ['dns.add-cname', { name: r.fqdn, zone, target: r.value, ...ttl, comment }]
    : r.type === 'TXT' ? ['dns.add-txt', { name: r.fqdn, zone, text: r.value, ...ttl, comment }]
      : ['dns.add', { name: r.fqdn, zone, ip: r.value, ...ttl, comment }];
  return {
    key, op, input, risk: 'change', state: 'create',
    describe: `${what(r.type, r.fqdn, r.value)}${r.ttl !== undefined ? ` (ttl ${r.ttl})` : ''}`,
    undo: { op: 'dns.delete', input: { name: r.fqdn, zone, type: r.type, value: r.value }, describe: `delete ${what(r.type, r.fqdn, r.value)}` },
  };
}

function deleteStep(r: LiveRecord, zone: string, key: string): PlanStep {
  const fqdn = bare(r.name);
  const ttl = ttlOf(r);
  const recreate = createStep({ fqdn, type: r.type, value: r.value, ...(ttl !== null ? { ttl } : {}) }, zone, r.comments ?? RECORD_MARKER, key);
  return {
    key, op: 'dns.delete', risk: 'danger', state: 'delete', describe: what(r.type, fqdn, r.value),
    input: { name: fqdn, zone, type: r.type, value: r.value },
    undo: { op: recreate.op, input: recreate.input, describe: `re-create ${what(r.type, fqdn, r.value)}` },
  };
}

/** The steps that turn marked record `have` into `want` (same name and type); none when it already is. */
function updateSteps(have: LiveRecord, want: LabRecord, zone: string, key: string): PlanStep[] {
  const oldTtl = ttlOf(have);
  const ttlChanges = want.ttl !== undefined && want.ttl !== oldTtl;
  const valueChanges = recordKey(want.type, want.value) !== recordKey(have.type, have.value);
  if (!ttlChanges && !valueChanges) return [];
  const change = [valueChanges ? `was ${have.value}` : '', ttlChanges ? `ttl ${oldTtl ?? '?'} → ${want.ttl}` : ''].filter(Boolean).join(', ');
  const describe = `${what(want.type, want.fqdn, want.value)} (${change})`;
  const ttl = want.ttl !== undefined ? { ttl: want.ttl } : {};
  const keepTtl = oldTtl !== null ? { ttl: oldTtl } : {};
  if (want.type === 'A' || want.type === 'AAAA') {
    return [{
      key, describe, op: 'dns.update', risk: 'change', state: 'update',
      input: { name: want.fqdn, zone, ip: want.value, from: have.value, ...ttl },
      undo: { op: 'dns.update', input: { name: want.fqdn, zone, ip: have.value, from: want.value, ...keepTtl }, describe: `restore ${what(have.type, want.fqdn, have.value)}` },
    }];
  }
  if (want.type === 'CNAME') {
    const comment = have.comments ?? RECORD_MARKER;
    return [{
      key, describe, op: 'dns.add-cname', risk: 'change', state: 'update',
      input: { name: want.fqdn, zone, target: want.value, ...(want.ttl !== undefined ? ttl : keepTtl), comment, replace: true },
      undo: { op: 'dns.add-cname', input: { name: want.fqdn, zone, target: have.value, ...keepTtl, comment, replace: true }, describe: `restore ${what(have.type, want.fqdn, have.value)}` },
    }];
  }
  // A TXT record's TTL: Technitium's update needs the old text and its split flag; delete it and add it again.
  const removal = deleteStep(have, zone, `${key}-old`);
  const addition = createStep(want, zone, have.comments ?? RECORD_MARKER, key);
  return [{ ...removal, describe: `${removal.describe} (${change}: deleted, then added again)` }, { ...addition, describe: `${what(want.type, want.fqdn, want.value)} (${change}: added again)` }];
}

/** Why live record `r` (not one of the lab's) is in the way of creating `w`, and how to adopt it when it could be. */
function blockedBy(r: LiveRecord, w: LabRecord): string {
  const theirs = what(r.type, w.fqdn, r.value);
  const cannot = `cannot create ${what(w.type, w.fqdn, w.value)}: ${theirs} is`;
  if (r.app) return `${cannot} homelab's for app ${r.app}: left alone`;
  if (r.type === w.type && recordKey(r.type, r.value) === recordKey(w.type, w.value)) return `${theirs} exists without homelab's marker: left alone (${adoptHint(r)})`;
  return `${cannot} not homelab's: left alone${mentionsMarker(r.comments, RECORD_MARKER) ? ` (${adoptHint(r)})` : ''}`;
}

/** The plan for `wanted` against `live` (the zone's records, without any another plan removes). */
export function planRecords(wanted: readonly LabRecord[], live: readonly LiveRecord[], zone: string): RecordsPlan {
  const marked = live.filter((r) => r.app === null && isLabRecord(r.comments));
  const groups = new Map<string, { want: LabRecord[]; have: LiveRecord[] }>();
  const group = (fqdn: string, type: string): { want: LabRecord[]; have: LiveRecord[] } => {
    const k = `${fqdn} ${type}`;
    const g = groups.get(k) ?? { want: [], have: [] };
    groups.set(k, g);
    return g;
  };
  for (const w of wanted) group(w.fqdn, w.type).want.push(w);
  for (const h of marked) group(bare(h.name), h.type).have.push(h);

  const deletes: PlanStep[] = [];
  const updates: PlanStep[] = [];
  const creates: LabRecord[] = [];
  const removed: LiveRecord[] = [];
  let n = 0;
  const key = (): string => `record-${++n}`;
  for (const { want, have } of groups.values()) {
    const left = [...have];
    const fresh: LabRecord[] = [];
    for (const w of want) {
      const i = left.findIndex((h) => recordKey(h.type, h.value) === recordKey(w.type, w.value));
      if (i < 0) { fresh.push(w); continue; }
      const [h] = left.splice(i, 1) as [LiveRecord];
      const steps = updateSteps(h, w, zone, key());
      if (steps.some((s) => s.state === 'delete')) removed.push(h);
      const ttl = ttlOf(h);
      updates.push(...(steps.length ? steps : [{ ...createStep({ ...w, ...(ttl !== null ? { ttl } : {}) }, zone, h.comments ?? RECORD_MARKER, `record-${n}`), state: 'unchanged' as const }]));
    }
    // A/AAAA/CNAME: a marked record whose value changed is moved, not deleted and added.
    while (fresh.length && left.length && fresh[0]?.type !== 'TXT') {
      const w = fresh.shift() as LabRecord;
      const h = left.shift() as LiveRecord;
      updates.push(...updateSteps(h, w, zone, key()));
    }
    creates.push(...fresh);
    for (const h of left) {
      deletes.push(deleteStep(h, zone, key()));
      removed.push(h);
    }
  }

  // What stays in the zone once the marked records are sorted out: anything there that is not homelab's record blocks a create.
  const staying = live.filter((r) => !marked.includes(r) && r.type !== 'SOA' && r.type !== 'NS');
  const conflicts: string[] = [];
  const createSteps: PlanStep[] = [];
  for (const w of creates) {
    const here = staying.filter((r) => bare(r.name) === w.fqdn);
    // As expose: an address record beside one homelab did not make would be a round-robin nobody asked for.
    const address = (type: string): boolean => type === 'A' || type === 'AAAA';
    const blocking = here.filter((r) => w.type === 'CNAME' || r.type === 'CNAME' || (address(w.type) && address(r.type))
      || (r.type === w.type && recordKey(r.type, r.value) === recordKey(w.type, w.value)));
    if (blocking.length) {
      conflicts.push(...blocking.map((r) => blockedBy(r, w)));
      continue;
    }
    createSteps.push(createStep(w, zone, RECORD_MARKER, key()));
  }
  return { steps: [...deletes, ...updates, ...createSteps], conflicts, removed };
}
