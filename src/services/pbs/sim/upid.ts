/**
 * @module services/pbs/sim/upid
 * PBS task ids (pbs.md §5): `UPID:node:pid:pstart:task_id:starttime:type:worker_id:authid:`
 * with the worker id escaped systemd-unit style (`/` → `-`, other bytes outside
 * `[A-Za-z0-9_.]` → `\xNN`), as proxmox_sys::systemd::escape_unit does.
 */

/** The parts of a PBS UPID (worker id unescaped). */
export interface UpidParts {
  node: string;
  pid: number;
  pstart: number;
  taskId: number;
  starttime: number;
  workerType: string;
  workerId?: string;
  authId: string;
}

/** Escapes a worker id the way PBS writes it into a UPID. */
export function escapeUnit(text: string): string {
  let out = '';
  const bytes = Buffer.from(text, 'utf8');
  bytes.forEach((c, i) => {
    if (c === 0x2f) out += '-';
    else if ((i === 0 && c === 0x2e) || !/[A-Za-z0-9_.]/.test(String.fromCharCode(c)) || c > 0x7f) out += `\\x${c.toString(16)}`;
    else out += String.fromCharCode(c);
  });
  return out;
}

/** Reverses `escapeUnit`. */
export function unescapeUnit(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '-') bytes.push(0x2f);
    else if (ch === '\\' && text[i + 1] === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2))?.[0] ?? '';
      bytes.push(parseInt(hex, 16));
      i += 1 + hex.length;
    } else bytes.push(ch.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** Formats a UPID string. */
export function formatUpid(p: UpidParts): string {
  return `UPID:${p.node}:${hex(p.pid, 8)}:${hex(p.pstart, 8)}:${hex(p.taskId, 8)}:${hex(p.starttime, 8)}:${p.workerType}:${escapeUnit(p.workerId ?? '')}:${p.authId}:`;
}

const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,16}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Parses a UPID; undefined when it is not one. */
export function parseUpid(upid: string): UpidParts | undefined {
  const m = UPID_RE.exec(upid);
  if (!m) return undefined;
  // Every group but the second always takes part in a match: the defaults never apply.
  const [, node = '', , pid = '', pstart = '', taskId = '', starttime = '', workerType = '', workerId, authId = ''] = m;
  return {
    node, pid: parseInt(pid, 16), pstart: parseInt(pstart, 16), taskId: parseInt(taskId, 16),
    starttime: parseInt(starttime, 16), workerType,
    ...(workerId ? { workerId: unescapeUnit(workerId) } : {}), authId,
  };
}
