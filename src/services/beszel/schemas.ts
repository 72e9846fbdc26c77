/**
 * @module services/beszel/schemas
 * zod shapes of the Beszel records the operations depend on (shared/api/beszel.md §5–7).
 * Unknown keys pass (Beszel adds keys between minor releases); the short-key maps
 * `info` and `stats` stay open records and are read defensively in `mapping.ts`.
 */
import { z } from 'zod';
import { headerSafeToken } from '../../core/http/index.js';

/** A PocketBase list envelope around `item`. */
export function listEnvelope<S extends z.ZodType>(item: S) {
  return z.object({ page: z.number(), perPage: z.number(), totalItems: z.number(), totalPages: z.number(), items: z.array(item) });
}

/**
 * What a login or a token refresh answers (shared/api/beszel.md §2): a non-empty,
 * header-safe token (it goes into every later request's Authorization header) and the user's record. Checked before the SDK takes the token, so an odd answer
 * (`{}`, `{"token":5}`) is never used or cached.
 */
export const authAnswerSchema = z.looseObject({
  token: headerSafeToken,
  record: z.looseObject({}),
});

/** A list envelope. */
export interface ListEnvelope<T> {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: T[];
}

/** A `systems` record. */
export const systemRecordSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  host: z.string().default(''),
  port: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.string(),
  info: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  updated: z.string().optional(),
});

/** A `systems` record. */
export type SystemRecord = z.infer<typeof systemRecordSchema>;

/** A `system_stats` record (`stats` holds short keys). */
export const systemStatsSchema = z.looseObject({
  system: z.string().optional(),
  type: z.string().optional(),
  stats: z.record(z.string(), z.unknown()),
  created: z.string(),
});

/** One container in `container_stats.stats`. */
export const containerStatSchema = z.looseObject({
  n: z.string(),
  c: z.number().optional(),
  m: z.number().optional(),
  b: z.array(z.number()).optional(),
  ns: z.number().optional(),
  nr: z.number().optional(),
});

/** A `container_stats` record. */
export const containerStatsSchema = z.looseObject({
  system: z.string().optional(),
  stats: z.array(containerStatSchema),
  created: z.string(),
});

/** An `alerts` record. */
export const alertRecordSchema = z.looseObject({
  id: z.string(),
  system: z.string(),
  name: z.string(),
  value: z.number(),
  min: z.number().optional(),
  triggered: z.boolean().default(false),
});
