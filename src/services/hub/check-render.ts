/**
 * @module services/hub/check-render
 * How `check` reads for humans: one line per finding (severity, what, the fix), the
 * evidence of each service under it, then the services skipped or failed and the rules
 * whose findings are therefore unknown. A fix line is marked as a command line (`commandText`):
 * the bot words its `homelab …` commands as its own.
 */
import { commandText, text, toned, table, type Block } from '../../core/render.js';
import type { CheckResult } from './check-result.js';

/** The blocks of `check`'s output. */
export function renderCheck(r: CheckResult): Block[] {
  const blocks: Block[] = [];
  for (const f of r.findings) {
    blocks.push(text(`${f.severity === 'error' ? '✗ error  ' : '! warning'}  ${f.message}`, f.severity === 'error' ? 'bad' : 'warn'));
    blocks.push(text(f.evidence.map((e) => `    ${e.service}: ${e.says}`).join('\n'), 'dim'));
    blocks.push(commandText(`    fix: ${f.fix}`));
  }
  const troubled = r.services.filter((s) => s.state !== 'ok');
  if (troubled.length) {
    blocks.push(table(['service', 'state', 'why'], troubled.map((s) => [
      s.service, toned(s.state, s.state === 'failed' ? 'bad' : 'dim'), `${s.detail ?? ''}${s.hint ? ` (${s.hint})` : ''}`,
    ])));
  }
  for (const u of r.unknown) blocks.push(text(`unknown: ${u.kinds.join(', ')} (${u.because.join('; ')})`, 'warn'));
  if (r.unprobed.length) blocks.push(text(`not probed (no check.probe_map entry): ${r.unprobed.join(', ')}`, 'dim'));
  const summary = r.findings.length
    ? `${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'} across ${r.guests} guests`
    : `no inconsistencies found across ${r.guests} guests${r.unknown.length ? ' (some checks unknown, see above)' : ''}`;
  blocks.push(text(summary, r.errors ? 'bad' : r.warnings || r.unknown.length ? 'warn' : 'ok'));
  return blocks;
}
