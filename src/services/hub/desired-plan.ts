/**
 * @module services/hub/desired-plan
 * The plan that makes the live lab what lab.yaml says, for objects homelab manages (by
 * marker) and nothing else. Built from reads only, through `ctx.invoke`:
 *
 * 1. the marked objects the file no longer wants are deleted (`danger` steps): every object
 *    of an app that is not in the file, and a kept app's objects its plan does not use;
 * 2. the `records:` (desired-records: marked records updated, created, deleted);
 * 3. each app's plan from `planApp`, the same planner as `homelab expose`, against the live
 *    state without what steps 1 and 2 delete (so an object a plan removes is not in the way).
 *
 * What is in the way and is not homelab's (an unmarked record, a proxy host someone made by
 * hand) is a conflict: listed, never touched; a plan with conflicts is not applied. The
 * run's risk is the highest of its changing steps: `danger` when it deletes anything.
 */
import { isConfigured } from '../../core/config.js';
import { ConfigError, HomelabError, OperationError, toHomelabError } from '../../core/errors.js';
import { mapLimit } from '../../core/map-limit.js';
import type { OpContext, Risk } from '../../core/operation.js';
import { createPlan, stepState, type Plan } from '../../orchestration/plan.js';
import { planAppRemovals, type MarkedLive } from './desired-apps.js';
import { planRecords } from './desired-records.js';
import { appPlan } from './expose-build.js';
import { readLiveParts } from './expose-live.js';
import { readHostDetails } from './unexpose.js';
import { exposeSettings, exposeZone } from './expose-settings.js';
import { AmbiguousGuestError, SpecFieldError, UnknownGuestError } from './expose-target.js';
import { UnfilledMonitorUrlError } from './expose-monitor.js';
import { labFileFor, readLabFile } from './lab-file.js';

/** A desired-state plan and what it found. */
export interface DesiredPlan {
  /** The lab file, as shown in messages. */
  file: string;
  plan: Plan;
  /** Objects in the way that homelab did not create: the plan cannot be applied while there are any. */
  conflicts: string[];
  /** Steps that change something (not `unchanged`). */
  changes: number;
  /** Of them, steps that delete something. */
  deletes: number;
  /** `danger` when a step deletes, `change` when any changes, `read` when nothing does. */
  risk: Risk;
  /** The apps and the number of records the file declares. */
  apps: string[];
  records: number;
  /** Apps homelab manages that the file no longer has: all their objects are deleted. */
  removedApps: string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The risk of running `plan`: the highest risk of its steps that change something (`read`: none do). */
export function planRisk(plan: Plan): Risk {
  const changing = plan.steps.filter((s) => stepState(s) !== 'unchanged');
  return changing.some((s) => s.risk === 'danger') ? 'danger' : changing.length ? 'change' : 'read';
}

/** Reads the marked objects' services; one that is not configured holds nothing of homelab's, one that failed stops the plan. */
export async function readMarked(ctx: OpContext, zone: string): Promise<{ live: MarkedLive; unconfigured: Map<string, HomelabError> }> {
  const parts = await readLiveParts(ctx, zone);
  // Not configured is no section at all: a redirect or a bad section is a failure.
  const failed = parts.failures.find((f) => !(f.error instanceof ConfigError && !isConfigured(ctx.config, f.service)));
  if (failed) throw failed.error;
  return {
    live: { zone, records: parts.records ?? [], hosts: parts.hosts ?? [], otherHosts: parts.otherHosts ?? [], monitors: parts.monitors ?? [] },
    unconfigured: new Map(parts.failures.map((f) => [f.service, f.error])),
  };
}

/** Builds the plan of the lab file `file` (the hub's lab.yaml when absent) against the live lab. */
export async function buildDesiredPlan(ctx: OpContext, file?: string): Promise<DesiredPlan> {
  const zone = exposeZone(ctx.config);
  const path = labFileFor(ctx.actor.surface, ctx.env, file, ctx.config.context);
  const lab = readLabFile(path, zone, file ?? path, ctx.actor.surface);
  ctx.progress(`reading what homelab manages in ${zone}`);
  const { live, unconfigured } = await readMarked(ctx, zone);
  const needs = (service: string, why: string): void => {
    const e = unconfigured.get(service);
    if (e) throw new ConfigError(`${lab.path} ${why}, but ${e.message}`, e.hint);
  };
  if (lab.records.length || lab.apps.length) needs('dns', lab.apps.length ? 'has apps' : 'has records');
  if (lab.apps.length) needs('proxy', 'has apps');
  const monitored = lab.apps.find((a) => a.monitor);
  if (monitored) needs('kuma', `wants a monitor for app ${monitored.name} (monitor: false leaves it out)`);
  const settings = lab.apps.length ? exposeSettings(ctx.config) : null;

  let removals = planAppRemovals(lab.apps, live, settings);
  // The proxy hosts it deletes, read in full: their undos say what a re-created host would lose.
  const doomed = new Set(removals.steps.filter((s) => s.op === 'proxy.delete').map((s) => String(s.input.host)));
  if (doomed.size) removals = planAppRemovals(lab.apps, live, settings, await readHostDetails(ctx, live.hosts.filter((h) => doomed.has(String(h.id)))));
  const records = planRecords(lab.records, removals.rest.records, zone);
  const rest = { ...removals.rest, records: removals.rest.records.filter((r) => !records.removed.includes(r)) };
  const apps = settings ? await mapLimit(lab.apps, 4, async (spec) => {
    ctx.progress(`planning app ${spec.name}`);
    try {
      return await appPlan(ctx, spec, settings, rest, `${spec.name}/`);
    } catch (err) {
      // A guest name that several guests have, or a VMID no guest has, is the file's to settle: a lab-file error (exit 3).
      // A field of the file that cannot be used (a certificate that is missing, expired or covers other names; an unknown name) too.
      const at = (field: string): string => `${lab.path}:${lab.lines[`${spec.name}.${field}`] ?? 1}: apps.${spec.name}.${field}`;
      if (err instanceof AmbiguousGuestError) {
        throw new ConfigError(`${at('target')}: ${err.message}`, `write the VMID instead: target: ${err.guests[0]?.vmid ?? '<vmid>'}:${spec.target.port}`);
      }
      if (err instanceof UnknownGuestError) throw new ConfigError(`${at('target')}: ${err.message}`, err.hint);
      if (err instanceof SpecFieldError) throw new ConfigError(`${at(err.field)}: ${err.message}`, err.hint);
      if (err instanceof UnfilledMonitorUrlError) throw new ConfigError(`${at('monitor_url')}: ${err.message}`, err.hint);
      const e = toHomelabError(err);
      throw new OperationError(`${lab.path}: app ${spec.name}: ${e.message}`, e.hint, undefined, undefined, e.exitCode);
    }
  }) : [];

  const plan = createPlan(`Lab ${lab.path}: ${plural(lab.apps.length, 'app')}, ${plural(lab.records.length, 'record')}`,
    [...removals.steps, ...records.steps, ...apps.flatMap((a) => a.steps)].map((s) => ({ ...s, state: stepState(s) })));
  const changing = plan.steps.filter((s) => stepState(s) !== 'unchanged');
  return {
    file: lab.path,
    plan,
    conflicts: [...records.conflicts, ...apps.flatMap((a, i) => a.conflicts.map((c) => `app ${lab.apps[i]?.name}: ${c}`))],
    changes: changing.length,
    deletes: changing.filter((s) => stepState(s) === 'delete').length,
    risk: planRisk(plan),
    apps: lab.apps.map((a) => a.name),
    records: lab.records.length,
    removedApps: removals.removedApps,
  };
}
