/**
 * @module services/kuma/messages
 * Socket.IO callback answers: `{ ok, msg, msgi18n? }`. 1.23 puts English text in `msg`,
 * 2.x an i18n key with `msgi18n: true` (shared/api/uptime-kuma.md §1, §9). Code branches
 * on `ok`; `msg` is only turned into words for people here, and an answer `ok: false` is a
 * `KumaRefused`.
 */
import { z } from 'zod';
import { ExitCode, HomelabError } from '../../core/errors.js';
import { serverText } from '../../core/http/index.js';

/** A callback answer, as far as we read it. */
export const ackSchema = z.looseObject({
  ok: z.boolean().optional(),
  msg: z.string().nullish(),
  msgi18n: z.boolean().optional(),
  token: z.string().optional(),
  tokenRequired: z.boolean().optional(),
  monitorID: z.union([z.number(), z.string()]).optional(),
  monitor: z.record(z.string(), z.unknown()).optional(),
});

/** A callback answer. */
export type Ack = z.infer<typeof ackSchema>;

const I18N: Record<string, string> = {
  authIncorrectCreds: 'incorrect username or password',
  authInvalidToken: 'invalid token',
  authUserInactiveOrDeleted: 'the user is inactive or deleted',
  successAdded: 'added',
  successEdited: 'saved',
  successDeleted: 'deleted',
  successPaused: 'paused',
  successResumed: 'resumed',
};

/** The answer's message in words: i18n keys (2.x) translated, English text (1.23) as is; cut and cleaned of control characters. */
export function ackMessage(ack: Ack): string {
  const msg = ack.msg ?? '';
  return serverText(ack.msgi18n ? (I18N[msg] ?? msg) : msg);
}

/** The server answered `ok: false`: exit 1 with its message. */
export class KumaRefused extends HomelabError {
  override readonly name = 'KumaRefused';
  constructor(readonly event: string, readonly serverMessage: string) {
    super(`kuma: ${event} refused: ${serverMessage}`, ExitCode.failed);
  }
}
