/**
 * @module services/watch/operations-silence
 * `watch mute <check> <duration>`, `watch unmute <check>` and
 * `watch maintenance <duration|off>`: silence alerts for a while. The running daemon
 * reads these from the shared database at every run; alerts that change meanwhile are
 * announced when the silence ends (one that came and went unseen is not).
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { text } from '../../core/render.js';
import { CHECK_NAMES } from '../../watch/check-names.js';
import { watchStoreFor } from './store.js';

const checkSchema = z.enum(CHECK_NAMES, { error: `must be one of ${CHECK_NAMES.join(', ')}` }).describe('the check');
/** A duration kept as written (`2h`, so the audit log and confirmations read as typed), checked here. */
const maxDuration = z.string().refine((v) => {
  const ms = parseDuration(v);
  return ms !== undefined && ms > 0 && ms <= 90 * 86_400_000;
}, { message: 'must be a duration like 30m, 2h or 1d, at most 90d' });

const ms = (v: string): number => parseDuration(v) ?? 0;

/** JSON shape of `watch mute` and `watch maintenance`. */
export interface SilenceResult {
  /** The check, or `maintenance`. */
  target: string;
  /** ISO time the silence ends; null when lifted. */
  until: string | null;
}

/** `watch mute <check> <duration>`. */
export const watchMute = defineOperation({
  id: 'watch.mute',
  summary: 'Silence the alerts of one check for a while',
  args: ['check', 'duration'],
  input: z.object({ check: checkSchema, duration: maxDuration.describe('how long, like 30m, 2h or 1d') }),
  risk: 'change',
  examples: ['watch mute backups 12h'],
  confirm: (input) => `Mute the alerts of the ${input.check} check for ${input.duration}`,
  async run(ctx, input): Promise<SilenceResult> {
    const now = Date.now();
    (await watchStoreFor(ctx.dataDir)).setMute(input.check, now + ms(input.duration), `${ctx.actor.surface}:${ctx.actor.id}`, now);
    return { target: input.check, until: new Date(now + ms(input.duration)).toISOString() };
  },
  render: (r, input) => [text(`${r.target} muted for ${formatDuration(ms(input.duration) / 1000)} (until ${r.until?.slice(0, 16).replace('T', ' ')} UTC)`, 'ok')],
});

/** `watch unmute <check>`. */
export const watchUnmute = defineOperation({
  id: 'watch.unmute',
  summary: 'Lift the mute of one check',
  args: ['check'],
  input: z.object({ check: checkSchema }),
  risk: 'change',
  examples: ['watch unmute backups'],
  confirm: (input) => `Unmute the ${input.check} check: its alerts are sent again`,
  async run(ctx, input): Promise<SilenceResult & { wasMuted: boolean }> {
    return { target: input.check, until: null, wasMuted: (await watchStoreFor(ctx.dataDir)).clearMute(input.check) };
  },
  render: (r) => [text(r.wasMuted ? `${r.target} unmuted` : `${r.target} was not muted`, r.wasMuted ? 'ok' : 'dim')],
});

/** `watch maintenance <duration|off>`. */
export const watchMaintenance = defineOperation({
  id: 'watch.maintenance',
  summary: 'Start a maintenance window (no alerts from any check) for a while, or end it with "off"',
  args: ['duration'],
  input: z.object({ duration: z.union([z.literal('off'), maxDuration], { error: 'duration must be like 2h, or off' }).describe('how long, like 2h, or off') }),
  risk: 'change',
  examples: ['watch maintenance 2h', 'watch maintenance off'],
  confirm: (input) => (input.duration === 'off' ? 'End the maintenance window: alerts are sent again' : `Start a maintenance window of ${input.duration}: no alerts from any check meanwhile`),
  async run(ctx, input): Promise<SilenceResult> {
    const store = await watchStoreFor(ctx.dataDir);
    const { MAINTENANCE } = await import('../../watch/state.js');
    if (input.duration === 'off') {
      store.clearMute(MAINTENANCE);
      return { target: 'maintenance', until: null };
    }
    const now = Date.now();
    store.setMute(MAINTENANCE, now + ms(input.duration), `${ctx.actor.surface}:${ctx.actor.id}`, now);
    return { target: 'maintenance', until: new Date(now + ms(input.duration)).toISOString() };
  },
  render: (r) => [text(r.until ? `maintenance window until ${r.until.slice(0, 16).replace('T', ' ')} UTC: no alerts meanwhile` : 'maintenance window ended', 'ok')],
});
