/**
 * @module watch/config
 * The `watch:` section of config.yaml. Defaults for every check (hold time before an
 * alert fires, repeat interval, flapping window), the daily digest's schedule, and
 * per-check settings under `checks.<name>`: `enabled`, `schedule` (a cron expression),
 * `for`, `repeat`, plus that check's own thresholds. Durations are written like `10m`,
 * `12h`, `0s`. Cron expressions are checked with croner when the daemon starts. An unknown
 * key, at any level (`watch.digest`, `watch.checks.<name>`), is refused naming the known one
 * a typo is close to (`core/config-keys`), and so is a check name no check has.
 */
import { z } from 'zod';
import { describeIssues, type HomelabConfig } from '../core/config.js';
import { closestWord } from '../core/closest-word.js';
import { unknownKeys } from '../core/config-keys.js';
import { ConfigError } from '../core/errors.js';
import { parseDuration } from '../core/format.js';
import { CHECK_NAMES } from './check-names.js';

/** A duration in config (`10m`, `12h`, `0s`, or a number of seconds), as milliseconds. */
export const configDuration = z.union([z.string(), z.number().min(0)]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v * 1000 : parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration like 0s, 10m, 12h or 7d' });
    return z.NEVER;
  }
  return ms;
});

/** A cron expression (5 or 6 fields); validated fully by croner at start-up. */
export const cronExpression = z.string().trim().refine((v) => /^(\S+\s+){4,5}\S+$/.test(v) || /^@\w+$/.test(v), { message: 'must be a cron expression like "*/5 * * * *"' });

/** Whether `zone` is an IANA time zone this Node knows (what croner and the message times use). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone (`Europe/Berlin`, `UTC`); anything else is refused naming the key, not the first schedule that uses it. */
export const timeZone = z.string().trim().refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} is not a time zone (e.g. Europe/Berlin)` });

/** Settings every check takes (`watch.checks.<name>`), besides its own thresholds; an unknown key is refused (`.extend` keeps that). */
export const commonCheckSchema = z.strictObject({
  enabled: z.boolean().default(true),
  schedule: cronExpression.optional(),
  /** How long the condition must hold before the alert fires. */
  for: configDuration.optional(),
  /** Re-send a still-firing alert this often; 0 never repeats. */
  repeat: configDuration.optional(),
  /** Time limit of one run of this check (default: watch.timeout_seconds). */
  timeout_seconds: z.number().positive().max(3600).optional(),
}, { error: unknownKeys });

/** `watch.checks`: a section per check, keyed by its name; a name no check has is refused as an unknown key is, with the one meant. */
const checkSections = z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).superRefine((sections, ctx) => {
  const known: readonly string[] = CHECK_NAMES;
  const unknown = Object.keys(sections).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const named = unknown.map((name) => {
    const close = closestWord(name, known);
    return `"${name}"${close ? ` (did you mean "${close}"?)` : ''}`;
  });
  ctx.addIssue({ code: 'custom', message: `Unrecognized key${unknown.length === 1 ? '' : 's'}: ${named.join(', ')}; the checks are ${known.join(', ')}` });
});

/** `watch:` in config.yaml. */
export const watchConfigSchema = z.strictObject({
  /** Run the checks inside `homelab bot` as well. */
  enabled: z.boolean().default(false),
  /** IANA time zone for schedules and message times (default: the host's). */
  timezone: timeZone.optional(),
  /** Chat to alert (default: telegram.owner_chat_id). */
  chat_id: z.number().int().optional(),
  /** Default hold time before an alert fires. */
  for: configDuration.default(300_000),
  /** Default repeat interval of a still-firing alert (0: never). */
  repeat: configDuration.default(43_200_000),
  /** Window in which state changes are counted for flapping. */
  flap_window: configDuration.default(3_600_000),
  /** This many changes within the window make an alert flap (notifications paused). */
  flap_threshold: z.number().int().min(2).max(100).default(4),
  /** Time limit of one check run. */
  timeout_seconds: z.number().positive().max(3600).default(60),
  digest: z
    .strictObject({ enabled: z.boolean().default(true), schedule: cronExpression.default('0 8 * * *') }, { error: unknownKeys })
    .default({ enabled: true, schedule: '0 8 * * *' }),
  checks: checkSections.default({}),
}, { error: unknownKeys });

/** A validated `watch:` section. */
export type WatchConfig = z.infer<typeof watchConfigSchema>;

/** Validates the `watch:` section (absent means all defaults). */
export function watchConfig(config: HomelabConfig): WatchConfig {
  const parsed = watchConfigSchema.safeParse(config.watch ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, 'watch', parsed.error));
  return parsed.data;
}

/** Validates one check's section with its own schema (common settings plus its thresholds). */
export function checkSettings<S extends z.ZodObject>(config: HomelabConfig, watch: WatchConfig, name: string, own: S): z.infer<typeof commonCheckSchema> & z.infer<S> {
  const schema = commonCheckSchema.extend(own.shape);
  const parsed = schema.safeParse(watch.checks[name] ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, `watch.checks.${name}`, parsed.error));
  return parsed.data as z.infer<typeof commonCheckSchema> & z.infer<S>;
}
