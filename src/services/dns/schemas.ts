/**
 * @module services/dns/schemas
 * zod schemas of the Technitium answers the dns operations depend on. Only the fields
 * we read are declared; the rest pass through untouched (fields vary by version and
 * zone type, see the sheet).
 */
import { z } from 'zod';
import { headerSafeToken } from '../../core/http/index.js';

/** The envelope of every `/api/*` JSON answer (HTTP 200 whatever happened). */
export const envelopeSchema = z.looseObject({
  status: z.string(),
  errorMessage: z.string().optional(),
  innerErrorMessage: z.string().optional(),
  response: z.unknown().optional(),
  server: z.string().optional(),
});

/** A zone from `/api/zones/list`. */
export const zoneSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  disabled: z.boolean(),
  internal: z.boolean().optional(),
  soaSerial: z.number().optional(),
  dnssecStatus: z.string().optional(),
});

/** A zone as Technitium describes it. */
export type TechnitiumZone = z.infer<typeof zoneSchema>;

/** An authoritative record from `/api/zones/records/get`. */
export const recordSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  ttl: z.number(),
  disabled: z.boolean(),
  comments: z.string().optional(),
  rData: z.record(z.string(), z.unknown()),
});

/** A record as Technitium describes it. */
export type TechnitiumRecord = z.infer<typeof recordSchema>;

/** `/api/zones/records/get` response. */
export const recordsResponseSchema = z.object({ zone: zoneSchema, records: z.array(recordSchema) });

/** `/api/zones/records/add` and `update` responses. */
export const addedSchema = z.object({ addedRecord: recordSchema });
/** `/api/zones/records/update` response. */
export const updatedSchema = z.object({ updatedRecord: recordSchema });

const counter = z.number().optional();

/** `/api/dashboard/stats/get` response (counters and top lists). */
export const statsResponseSchema = z.object({
  stats: z.looseObject({
    totalQueries: z.number(), totalNoError: counter, totalServerFailure: counter, totalNxDomain: counter, totalRefused: counter,
    totalAuthoritative: counter, totalRecursive: counter, totalCached: counter, totalBlocked: counter, totalDropped: counter,
    totalClients: counter, zones: counter, cachedEntries: counter, allowedZones: counter, blockedZones: counter,
    allowListZones: counter, blockListZones: counter,
  }),
  topClients: z.array(z.looseObject({ name: z.string(), domain: z.string().nullish(), hits: z.number() })).optional(),
  topDomains: z.array(z.looseObject({ name: z.string(), hits: z.number() })).optional(),
  topBlockedDomains: z.array(z.looseObject({ name: z.string(), hits: z.number() })).optional(),
});

/** `/api/user/login` answer (flat). */
export const loginSchema = z.looseObject({
  token: headerSafeToken,
  username: z.string().optional(),
  info: z.looseObject({ version: z.string().optional() }).optional(),
});
