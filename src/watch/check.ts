/**
 * @module watch/check
 * What a check is: a named, scheduled look at the JSON results of the services' read
 * operations (through `ctx.invoke`, never a client of its own) that returns findings.
 * A finding is a condition that holds now, under a stable key (`backups:vm/106`); the
 * alert engine turns findings into alerts with hold times, repeats and resolutions.
 * A `digest` check's findings are not alerts: they go into the daily digest.
 */
import type { z } from 'zod';
import type { HomelabConfig } from '../core/config.js';

/** One condition that holds now. */
export interface Finding {
  /** Stable across runs: `<check>:<subject>`. */
  key: string;
  /** One line for the owner: what is wrong, with the numbers. */
  message: string;
  severity: 'warning' | 'critical';
  /** For digest checks: the group it is listed under (`security`, `pending`). */
  group?: string;
}

/** Runs read operations for a check. */
export interface CheckRunner {
  /** Whether this operation exists (its service module is loaded to know). */
  has(opId: string): Promise<boolean>;
  /** Whether a service has a section in the config (for checks that read several). */
  configured(service: string): boolean;
  /** Runs a read operation with `input` through `ctx.invoke` and returns its JSON result. */
  run(opId: string, input?: Record<string, unknown>): Promise<unknown>;
  /**
   * `text`'s command lines (`homelab pve start 201`) as an alert of this lab says them: naming
   * the lab (`homelab --context office pve start 201`) whenever config.yaml has more than one,
   * since an alert is kept and read later, after a `context use` or from a shell pinned to
   * another lab (`core/lab-in-commands` `storedLabToName`).
   */
  commandLines(text: string): Promise<string>;
}

/** A check. `O` is the schema of its own thresholds under `watch.checks.<name>`. */
export interface CheckDefinition<O extends z.ZodObject = z.ZodObject> {
  name: string;
  summary: string;
  /** Operations it needs; the check is skipped while any does not exist. */
  operations: readonly string[];
  /** Services it reads; skipped when none is configured (empty: always runs). */
  services: readonly string[];
  /** Overrides `services`: whether there is anything to check in this config. */
  configured?(config: HomelabConfig): boolean;
  /** Default time limit of one run in ms (else `watch.timeout_seconds`). */
  timeoutMs?: number;
  /** Default cron schedule. */
  schedule: string;
  /** Default hold time in ms (else `watch.for`). */
  holdMs?: number;
  /** Default repeat interval in ms (else `watch.repeat`). */
  repeatMs?: number;
  /** `digest`: findings go into the daily digest instead of alerting. */
  kind?: 'alert' | 'digest';
  /** Its own thresholds, with defaults. */
  options: O;
  evaluate(runner: CheckRunner, options: z.infer<O>, now: number): Promise<Finding[]>;
}

/** A check of any options, as the list holds them. */
export type AnyCheck = CheckDefinition<z.ZodObject>;

/** Defines a check with its option types inferred. */
export function defineCheck<O extends z.ZodObject>(check: CheckDefinition<O>): CheckDefinition<O> {
  return check;
}
