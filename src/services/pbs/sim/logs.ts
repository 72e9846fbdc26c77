/**
 * @module services/pbs/sim/logs
 * Task log lines in the words PBS writes them (backup, garbage collection, verify),
 * shared by the seeded history and by tasks started over the API.
 */
import { type SimDatastore, type SimSnapshot, snapshotName, snapshotSize } from './state.js';

const MiB = 1024 * 1024;

/** PBS's human size (`HumanByte`): `3.1 GiB`. */
export function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(2).replace(/\.?0+$/, '')} ${units[u]}`;
}

/** The log of a backup task that ended well or failed. */
export function backupLog(store: string, snap: SimSnapshot, fromIp: string, failed: boolean): string[] {
  const name = snapshotName(snap);
  const index = snap.files.find((f) => /\.(d|f)idx$/.test(f.filename) && !f.filename.startsWith('catalog'))?.filename ?? 'root.pxar.didx';
  const lines = [
    `starting new backup on datastore '${store}' from ::ffff:${fromIp}: "${name}"`,
    `download 'index.json.blob' from previous backup.`,
    `register chunks in '${index}' from previous backup.`,
    `download '${index}' from previous backup.`,
    `created new ${index.endsWith('.fidx') ? 'fixed' : 'dynamic'} index 1 ("${name}/${index}")`,
  ];
  if (failed) {
    return [...lines, 'backup ended but finished flag is not set.', 'removing unfinished backup', `removing backup snapshot "/mnt/datastore/${store}/${name}"`];
  }
  const upload = Math.max(1, Math.round(snapshotSize(snap) * 0.03));
  return [
    ...lines,
    `Upload size: ${human(upload)} (3%)`,
    'Duplicates: 2301+2 (97%)',
    'Compression: 38%',
    `successfully closed ${index.endsWith('.fidx') ? 'fixed' : 'dynamic'} index 1`,
    ...snap.files.filter((f) => f.filename.endsWith('.blob')).map((f) => `add blob "/mnt/datastore/${store}/${name}/${f.filename}" (${f.size} bytes, comp: ${f.size})`),
    'successfully finished backup',
    'backup finished successfully',
  ];
}

/** The log of a garbage collection run; `missingChunkIn` adds the warning a missing chunk causes. */
export function gcLog(ds: SimDatastore, missingChunkIn?: SimSnapshot): string[] {
  const c = ds.gc.counters;
  const lines = [
    `starting garbage collection on store ${ds.name}`,
    'Access time update check successful, proceeding with GC.',
    'Using access time cutoff 1d 5m, minimum access time is ' + new Date(Date.now() - 86_700_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'Start GC phase1 (mark used chunks)',
  ];
  if (missingChunkIn) {
    const index = missingChunkIn.files.find((f) => f.filename.endsWith('idx'))?.filename ?? 'root.pxar.didx';
    lines.push(`WARN: warning: unable to access non-existent chunk 6e0f52a1c3d4b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0, required by "/mnt/datastore/${ds.name}/${snapshotName(missingChunkIn)}/${index}"`);
  }
  const files = c['index-file-count'];
  for (const pct of [25, 50, 75, 100]) lines.push(`marked ${pct}% (${Math.round((files * pct) / 100)} of ${files} index files)`);
  lines.push(
    'Start GC phase2 (sweep unused chunks)',
    `Removed garbage: ${human(c['removed-bytes'])}`,
    `Removed chunks: ${c['removed-chunks']}`,
    `Pending removals: ${human(c['pending-bytes'])} (in ${c['pending-chunks']} chunks)`,
    `Original data usage: ${human(c['index-data-bytes'])}`,
    `On-Disk usage: ${human(c['disk-bytes'])} (${((c['disk-bytes'] / Math.max(1, c['index-data-bytes'])) * 100).toFixed(2)}%)`,
    `On-Disk chunks: ${c['disk-chunks']}`,
    `Deduplication factor: ${(c['index-data-bytes'] / Math.max(1, c['disk-bytes'])).toFixed(2)}`,
    `Average chunk size: ${human(Math.round(c['disk-bytes'] / Math.max(1, c['disk-chunks'])))}`,
  );
  return lines;
}

/** The log of a verify run over `checked` snapshots, `failed` being those whose chunks could not be read. */
export function verifyLog(store: string, checked: SimSnapshot[], failed: SimSnapshot[], header: string): string[] {
  const lines = [header, `verify datastore ${store}`];
  for (const snap of checked) {
    const name = snapshotName(snap);
    lines.push(`verify ${store}:${name}`);
    for (const f of snap.files.filter((x) => x.filename !== 'index.json.blob')) lines.push(`  check ${f.filename}`);
    const mib = (snapshotSize(snap) / MiB).toFixed(2);
    if (failed.includes(snap)) {
      lines.push(
        `  can't verify chunk, load failed - store '${store}', unable to load chunk '6e0f52a1c3d4b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0' - No such file or directory (os error 2)`,
        `  verified ${mib}/${mib} MiB in 12.07 seconds, speed 96.41/96.41 MiB/s (1 errors)`,
        `verify ${store}:${name} failed: chunks could not be verified`,
      );
    } else {
      lines.push(`  verified ${mib}/${mib} MiB in 10.52 seconds, speed 110.24/110.24 MiB/s (0 errors)`);
    }
  }
  if (failed.length) {
    lines.push('Failed to verify the following snapshots/groups:', ...failed.map((s) => `\t${snapshotName(s)}`));
  }
  return lines;
}

/** The error a verify run with failures ends with. */
export const VERIFY_FAILED = 'verification failed - please check the log for details';
