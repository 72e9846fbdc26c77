/**
 * @module services/pve/sim/upid
 * UPIDs (unique process ids of PVE tasks): building them and decoding them with the
 * regex from PVE's source (fact sheet §5).
 */

/** The fields encoded in a UPID. */
export interface UpidFields {
  node: string;
  pid: number;
  pstart: number;
  /** Unix epoch seconds. */
  starttime: number;
  type: string;
  id: string;
  /** `USER@REALM` or `USER@REALM!TOKENID`. */
  user: string;
}

const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** Builds the UPID string for these fields. */
export function formatUpid(f: UpidFields): string {
  return `UPID:${f.node}:${hex(f.pid, 8)}:${hex(f.pstart, 8)}:${hex(f.starttime, 8)}:${f.type}:${f.id}:${f.user}:`;
}

/** Decodes a UPID; undefined when it does not match PVE's pattern. */
export function parseUpid(upid: string): UpidFields | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  return {
    node: m[1] ?? '',
    pid: parseInt(m[3] ?? '0', 16),
    pstart: parseInt(m[4] ?? '0', 16),
    starttime: parseInt(m[5] ?? '0', 16),
    type: m[6] ?? '',
    id: m[7] ?? '',
    user: m[8] ?? '',
  };
}
