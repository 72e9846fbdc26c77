/**
 * @module services/updates/check-ssh
 * Checks one SSH target: connect (host key verified), run the probe script once (again,
 * with backoff, when the connection drops: it only reads), parse.
 * Any failure becomes the target's error in its report; only a cancel propagates.
 */
import type { SshTarget } from '../../core/config.js';
import { CancelledError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';
import { rootHint } from './output-lines.js';
import { probeOutcome } from './parse-probe.js';
import { probeScript } from './probe-script.js';
import { countPackages, failedReport, type TargetReport } from './report.js';
import { retryRead } from './ssh/retry.js';
import { SshSession } from './ssh/session.js';
import { sessionOptions } from './targets.js';

/** Checks one target; never throws except when cancelled. */
export async function checkSshTarget(ctx: OpContext, target: SshTarget, refresh: boolean): Promise<TargetReport> {
  const started = Date.now();
  const base = { name: target.name, kind: 'ssh' as const, address: `${target.host}:${target.port}` };
  let session: SshSession | undefined;
  try {
    const options = sessionOptions(ctx.config, target, ctx.env, ctx.signal);
    // A read: a connection refused, reset or dropped mid-check is tried again with backoff.
    const result = await retryRead(async () => {
      session?.close();
      ctx.progress(`${target.name}: connecting to ${base.address}`);
      session = await SshSession.open(options);
      ctx.progress(`${target.name}: listing updates`);
      return session.exec('sh -s', { stdin: probeScript(refresh), timeoutMs: options.timeoutMs, signal: ctx.signal });
    }, { signal: ctx.signal, onRetry: (attempt) => ctx.progress(`${target.name}: connection lost, trying again (attempt ${attempt})`) });
    const probe = probeOutcome(`ssh ${target.name}`, result, target.user);
    const notes: string[] = [];
    if (probe.refreshError) {
      const root = rootHint([probe.refreshError], target.user);
      notes.push(`refreshing the package lists failed: ${probe.refreshError}${root ? ` (${root})` : ''}`);
    }
    if (probe.manager === 'apk' || probe.manager === 'pacman') notes.push(`${probe.manager} does not flag security updates`);
    return {
      ...base, ok: true, manager: probe.manager, os: probe.os, packages: probe.packages, counts: countPackages(probe.packages),
      rebootRequired: probe.rebootRequired, refreshed: probe.refreshed, notes, error: null, durationMs: Date.now() - started,
    };
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    return failedReport(base, err, started);
  } finally {
    session?.close();
  }
}
