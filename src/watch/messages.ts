/**
 * @module watch/messages
 * The texts the owner receives: one message per check run with every notice of that
 * run, and the daily digest (alerts firing now, what fired and resolved during the
 * day, updates grouped per target with security updates apart, mutes in force).
 * Plain text: no markup to escape, readable in any client. One notice is one line: text
 * from services in it (a monitor's name) is shown as the CLI's tables show it (`terminalLine`:
 * a line break as `⏎`, every other control character as a visible stand-in), so it cannot
 * start a line that looks like another alert.
 */
import { formatDuration } from '../core/format.js';
import { terminalLine } from '../core/render-safe.js';
import type { Finding } from './check.js';
import type { Notice } from './engine.js';
import type { AlertRow, WatchEvent } from './state.js';

const ICON: Record<Notice['kind'], string> = { firing: '🔴', repeat: '🔁', resolved: '✅', flapping: '〰️' };

/** Formats a time in the watch's time zone as `YYYY-MM-DD HH:MM`. */
export function formatClock(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The span from `from` to `to` (none below 0: the clock went back), as `formatDuration` tells it. */
function span(from: number, to: number): string {
  return formatDuration(Math.max(0, to - from) / 1000);
}

/** One line for a notice; a resolution tells how long it fired (until it ended, not until it could be told). */
export function noticeLine(n: Notice, now: number): string {
  const label = n.severity === 'critical' && n.kind !== 'resolved' ? `${n.check} (critical)` : n.check;
  const message = terminalLine(n.message);
  if (n.kind === 'firing') return `${ICON.firing} ${label}: ${message}`;
  if (n.kind === 'repeat') return `${ICON.repeat} still ${label}: ${message}${n.firedAt ? ` (since ${span(n.firedAt, now)})` : ''}`;
  if (n.kind === 'resolved') return `${ICON.resolved} resolved ${label}: ${message}${n.firedAt ? ` (after ${span(n.firedAt, n.endedAt ?? now)})` : ''}`;
  return `${ICON.flapping} ${label} keeps changing, alerts about it paused until it settles: ${message}`;
}

/** What the digest summarises. */
export interface DigestInput {
  now: number;
  timeZone?: string;
  firing: AlertRow[];
  /** Events of the last 24 h. */
  events: WatchEvent[];
  /** Findings of digest checks (updates), by check. */
  digestFindings: Finding[];
  mutes: { target: string; until: number }[];
  /** Checks that could not run at their last run. */
  failing: { check: string; detail: string }[];
}

/** The daily digest. */
export function digestMessage(d: DigestInput): string {
  const lines = [`📋 homelab daily digest, ${formatClock(d.now, d.timeZone).slice(0, 10)}`];
  lines.push('', d.firing.length ? `Firing now (${d.firing.length}):` : 'Nothing is firing now.');
  for (const a of d.firing) lines.push(`  🔴 ${a.check}: ${terminalLine(a.message)} (since ${span(a.firedAt ?? a.since, d.now)})`);
  const fired = d.events.filter((e) => e.kind === 'fired');
  const resolved = d.events.filter((e) => e.kind === 'resolved');
  if (fired.length || resolved.length) {
    lines.push('', `Last 24 h: ${fired.length} fired, ${resolved.length} resolved${resolved.length ? ':' : ''}`);
    for (const e of resolved) lines.push(`  ${formatClock(e.time, d.timeZone).slice(11)} ✅ ${e.check}: ${terminalLine(e.message)}`);
  }
  lines.push(...updatesSection(d.digestFindings));
  if (d.failing.length) {
    lines.push('', 'Checks failing:');
    for (const f of d.failing) lines.push(`  ${f.check}: ${terminalLine(f.detail)}`);
  }
  if (d.mutes.length) {
    lines.push('', 'Silenced:');
    for (const m of d.mutes) lines.push(`  ${m.target === '*' ? 'maintenance window' : m.target} until ${formatClock(m.until, d.timeZone)}`);
  }
  return lines.join('\n');
}

function updatesSection(findings: readonly Finding[]): string[] {
  if (!findings.length) return [];
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.group ?? 'other', [...(groups.get(f.group ?? 'other') ?? []), f]);
  const security = groups.get('security') ?? [];
  if (security.length) {
    lines.push('', `Security updates (${security.length} ${security.length === 1 ? 'target' : 'targets'}):`);
    for (const f of security) lines.push(`  ${terminalLine(f.message)}`);
  }
  for (const [group, list] of groups) {
    if (group === 'security') continue;
    const title = group === 'pending' ? 'Updates pending' : group === 'not checked' ? 'Could not check for updates' : group;
    lines.push('', `${title} (${list.length} ${list.length === 1 ? 'target' : 'targets'}):`);
    for (const f of list) lines.push(`  ${terminalLine(f.message)}`);
  }
  return lines;
}
