/**
 * @module watch/resolve
 * A check's settings resolved from config: enabled, schedule, hold and repeat (the
 * check's own section, else the check's default, else `watch.for`/`watch.repeat`), its
 * thresholds, and why it is skipped (disabled, operations that do not exist, its
 * services not configured). Shared by the daemon and `watch status`; `has` says whether
 * an operation exists (the daemon asks its registry, an operation `knownOperations`).
 */
import { isConfigured, type HomelabConfig } from '../core/config.js';
import type { OpContext } from '../core/operation.js';
import type { AnyCheck } from './check.js';
import { checkSettings, type WatchConfig } from './config.js';
import type { AlertPolicy } from './engine.js';

/** A check with its settings resolved from config. */
export interface ResolvedCheck {
  check: AnyCheck;
  enabled: boolean;
  schedule: string;
  policy: AlertPolicy;
  /** The check's own thresholds. */
  options: Record<string, unknown>;
  timeoutMs: number;
  /** Why it does not run, when it does not. */
  skip?: string;
}

/** Resolves one check; throws a ConfigError naming the key when its section is invalid. */
export function resolveCheck(check: AnyCheck, config: HomelabConfig, watch: WatchConfig, has: (opId: string) => boolean): ResolvedCheck {
  const { enabled, schedule, for: hold, repeat, timeout_seconds: timeout, ...options } = checkSettings(config, watch, check.name, check.options);
  const missing = check.operations.filter((id) => !has(id));
  const configured = check.configured ? check.configured(config) : check.services.length === 0 || check.services.some((svc) => isConfigured(config, svc));
  const skip = !enabled ? 'disabled in config' : missing.length ? `${missing.join(', ')} not available` : !configured ? (check.services.length ? `${check.services.join('/')} not configured` : 'nothing configured to check') : undefined;
  return {
    check,
    enabled,
    schedule: schedule ?? check.schedule,
    options,
    timeoutMs: timeout !== undefined ? timeout * 1000 : check.timeoutMs ?? watch.timeout_seconds * 1000,
    policy: { holdMs: hold ?? check.holdMs ?? watch.for, repeatMs: repeat ?? check.repeatMs ?? watch.repeat, flapWindowMs: watch.flap_window, flapThreshold: watch.flap_threshold },
    ...(skip ? { skip } : {}),
  };
}

/** Which of the checks' operations exist, looked up through the context (loading their service modules). */
export async function knownOperations(ctx: OpContext, checks: readonly AnyCheck[]): Promise<(opId: string) => boolean> {
  const ids = [...new Set(checks.flatMap((c) => c.operations))];
  const found = await Promise.all(ids.map(async (id) => [id, (await ctx.lookup(id)) !== undefined] as const));
  const known = new Set(found.filter(([, ok]) => ok).map(([id]) => id));
  return (id) => known.has(id);
}
