/**
 * @module services/hub/status-fetch
 * Fetches one service's headline for `status`: runs that service's read operations
 * through `ctx.invoke` (so status depends only on their JSON results, and a one-shot CLI
 * run loads only the service modules of the configured services),
 * under the service's own time limit. Whatever happens becomes a `ServiceStatus`; a
 * failure never escapes to hide the other services.
 */
import { CancelledError, PartialFailureError, TimeoutError, toHomelabError } from '../../core/errors.js';
import { deriveContext } from '../../core/context.js';
import type { OpContext } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import type { HeadlineCall, HeadlineSource } from './headlines/types.js';

/** One service's line in `status`. */
export interface ServiceStatus {
  service: string;
  /** `up`: answered; `down`: failed or timed out; `skipped`: no status operation registered. */
  state: 'up' | 'down' | 'skipped';
  headline: string;
  tone: 'ok' | 'warn' | 'bad' | 'dim';
  /** How long the service took. */
  ms: number;
  /**
   * Why it is down; or, while up, the part of its answer that failed (an updates target not
   * reached; its hint then names the command that shows each part). Either way the service
   * counts as failed: in the exit code, the summary line and the stderr line alike.
   */
  error: { message: string; hint: string | null; exitCode: number } | null;
}

/** Runs the source's operations at once and summarises them; never throws except on cancel. */
export async function fetchHeadline(ctx: OpContext, source: HeadlineSource, timeoutMs: number): Promise<ServiceStatus> {
  const started = Date.now();
  const calls = (await Promise.all(source.calls.map(async (alternatives) => {
    for (const c of alternatives) if (await ctx.lookup(c.op)) return c;
    return undefined;
  }))).filter((c) => c !== undefined);
  if (calls.length === 0) {
    return { service: source.service, state: 'skipped', headline: 'no status operation registered', tone: 'dim', ms: 0, error: null };
  }
  const limit = new AbortController();
  const signal = AbortSignal.any([ctx.signal, limit.signal]);
  const sub = deriveContext(ctx, { signal, progress: () => undefined });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError(source.service, timeoutMs, 'status');
      limit.abort(err);
      reject(err);
    }, timeoutMs);
  });
  let partial: { error: PartialFailureError; op: string } | undefined;
  // An operation that answered with some parts failed (updates check: a target down) still
  // gives its result for the headline; the failure is kept as this service's error, its hint
  // pointing at the command that shows each part (status does not: "see: homelab updates check").
  const call = async (c: HeadlineCall): Promise<readonly [string, unknown]> => {
    try {
      return [c.op, await sub.invoke(c.op, c.input ?? {})];
    } catch (err) {
      if (!(err instanceof PartialFailureError)) throw err;
      partial = { error: err, op: c.op };
      return [c.op, err.result];
    }
  };
  try {
    const results = await Promise.race([Promise.all(calls.map(call)), timeout]);
    const headline = source.summarise(new Map(results));
    const error = partial ? { message: redact(partial.error.message), hint: `see: homelab ${partial.op.replace(/\./g, ' ')}`, exitCode: partial.error.exitCode } : null;
    return { service: source.service, state: 'up', headline: headline.text, tone: headline.tone, ms: Date.now() - started, error };
  } catch (err) {
    if (ctx.signal.aborted) throw err instanceof CancelledError ? err : new CancelledError();
    const e = err instanceof CancelledError && limit.signal.aborted ? toHomelabError(limit.signal.reason) : toHomelabError(err);
    return {
      service: source.service, state: 'down', headline: redact(e.message), tone: 'bad', ms: Date.now() - started,
      error: { message: redact(e.message), hint: e.hint ? redact(e.hint) : null, exitCode: e.exitCode },
    };
  } finally {
    clearTimeout(timer);
  }
}
