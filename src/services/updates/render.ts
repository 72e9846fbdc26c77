/**
 * @module services/updates/render
 * Human output of `updates check`: one summary row per target (counts, security,
 * reboot, or its error in red), then the packages of each target that has some.
 */
import { table, text, toned, type Block, type Cell, type Rendered } from '../../core/render.js';
import type { TargetReport, UpdatesReport } from './report.js';

const MAX_PACKAGES = 25;

/** Renders a check report. */
export function renderReport(report: UpdatesReport): Rendered {
  const blocks: Block[] = [
    table(['target', 'kind', 'system', 'updates>', 'security>', 'reboot', 'note'], report.targets.map(summaryRow), { empty: 'no targets' }),
  ];
  for (const t of report.targets) {
    for (const line of t.ok ? [] : t.error?.details ?? []) blocks.push(text(`${t.name}: ${line}`, 'dim'));
    if (!t.ok && t.error?.hint) blocks.push(text(`${t.name}: ${t.error.hint}`, 'dim'));
  }
  for (const t of report.targets.filter((x) => x.ok && x.packages.length)) {
    const rows = t.packages.slice(0, MAX_PACKAGES).map((p): Cell[] => [
      p.security ? toned(p.name, 'bad') : p.name,
      p.from ?? '',
      p.to,
      p.security === true ? toned('security', 'bad') : p.origin ?? '',
    ]);
    const more = t.packages.length - MAX_PACKAGES;
    blocks.push(table(['package', 'installed', 'available', 'origin'], rows, { title: `${t.name}: ${countText(t)}` }));
    if (more > 0) blocks.push(text(`… and ${more} more (--json lists all)`, 'dim'));
  }
  const s = report.totals;
  const flagged = report.targets.some((t) => t.packages.some((p) => p.security !== null));
  blocks.push(text(
    `${s.packages} pending update${s.packages === 1 ? '' : 's'}${flagged ? ` (${s.security} security)` : ''} on ${s.reachable} of ${s.targets} target${s.targets === 1 ? '' : 's'}` +
    `${s.rebootRequired ? `; ${s.rebootRequired} need${s.rebootRequired === 1 ? 's' : ''} a reboot` : ''}${s.failed ? `; ${s.failed} could not be checked` : ''}`,
    s.failed || s.security ? 'warn' : 'ok',
  ));
  return blocks;
}

function countText(t: TargetReport): string {
  return `${t.counts.total} pending${t.counts.security ? `, ${t.counts.security} security` : ''}`;
}

function summaryRow(t: TargetReport): Cell[] {
  if (!t.ok) return [t.name, t.kind, t.address, toned('-', 'dim'), toned('-', 'dim'), toned('-', 'dim'), toned(t.error?.message ?? 'failed', 'bad')];
  const security = t.packages.some((p) => p.security === null) && t.counts.security === 0 ? toned('?', 'dim') : toned(t.counts.security, t.counts.security ? 'bad' : undefined);
  return [
    t.name,
    t.kind,
    t.os ?? t.manager ?? '',
    toned(t.counts.total, t.counts.total ? 'warn' : 'ok'),
    security,
    t.rebootRequired === null ? toned('?', 'dim') : t.rebootRequired ? toned('yes', 'warn') : 'no',
    toned(t.notes.join('; '), 'dim'),
  ];
}
