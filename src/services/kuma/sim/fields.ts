/**
 * @module services/kuma/sim/fields
 * The monitor table of the simulated Uptime Kuma: the columns `add` accepts (a frozen
 * schema: any other key fails the insert, as on a real server), the fixed list of fields
 * `editMonitor` copies from its payload (left-out fields become null, or false for
 * booleans), and the UI's defaults for seeded monitors. 2.x adds columns that 1.23 lacks
 * (`conditions`, `rabbitmqNodes`, …): sending them to 1.23 fails (no such column).
 */

/** Kind of a column, for what "left out" becomes on edit. */
type Kind = 'bool' | 'value';

/** Editable columns of both 1.23 and 2.x, with the UI's defaults. */
const COMMON: [string, Kind, unknown][] = [
  ['name', 'value', ''], ['description', 'value', null], ['parent', 'value', null], ['type', 'value', 'http'],
  ['url', 'value', 'https://'], ['method', 'value', 'GET'], ['body', 'value', null], ['headers', 'value', null],
  ['basic_auth_user', 'value', null], ['basic_auth_pass', 'value', null], ['authMethod', 'value', null],
  ['authDomain', 'value', null], ['authWorkstation', 'value', null],
  ['interval', 'value', 60], ['retryInterval', 'value', 60], ['resendInterval', 'value', 0],
  ['hostname', 'value', null], ['maxretries', 'value', 0], ['port', 'value', null],
  ['keyword', 'value', null], ['invertKeyword', 'bool', false], ['ignoreTls', 'bool', false],
  ['expiryNotification', 'bool', false], ['upsideDown', 'bool', false], ['packetSize', 'value', 56],
  ['maxredirects', 'value', 10], ['accepted_statuscodes', 'value', ['200-299']],
  ['dns_resolve_type', 'value', 'A'], ['dns_resolve_server', 'value', '1.1.1.1'], ['pushToken', 'value', null],
  ['docker_container', 'value', ''], ['docker_host', 'value', null], ['proxyId', 'value', null],
  ['mqttUsername', 'value', ''], ['mqttPassword', 'value', ''], ['mqttTopic', 'value', ''], ['mqttSuccessMessage', 'value', ''],
  ['databaseConnectionString', 'value', null], ['databaseQuery', 'value', null], ['timeout', 'value', 48],
  ['jsonPath', 'value', null], ['expectedValue', 'value', null],
  ['kafkaProducerTopic', 'value', null], ['kafkaProducerBrokers', 'value', []], ['kafkaProducerSsl', 'bool', false],
  ['kafkaProducerAllowAutoTopicCreation', 'bool', false], ['kafkaProducerSaslOptions', 'value', { mechanism: 'None' }],
  ['kafkaProducerMessage', 'value', null], ['grpcUrl', 'value', null], ['grpcProtobuf', 'value', null],
  ['grpcBody', 'value', null], ['grpcMetadata', 'value', null], ['grpcMethod', 'value', null],
  ['grpcServiceName', 'value', null], ['grpcEnableTls', 'bool', false],
  ['radiusUsername', 'value', null], ['radiusPassword', 'value', null], ['radiusCalledStationId', 'value', null],
  ['radiusCallingStationId', 'value', null], ['radiusSecret', 'value', null], ['game', 'value', null],
  ['gamedigGivenPortOnly', 'bool', true], ['httpBodyEncoding', 'value', 'json'],
  ['tlsCa', 'value', null], ['tlsCert', 'value', null], ['tlsKey', 'value', null], ['notificationIDList', 'value', {}],
];

/** Editable columns only 2.x has. */
const V2_ONLY: [string, Kind, unknown][] = [
  ['conditions', 'value', []], ['rabbitmqNodes', 'value', []], ['rabbitmqUsername', 'value', null],
  ['rabbitmqPassword', 'value', null], ['jsonPathOperator', 'value', '=='], ['snmpVersion', 'value', '2c'],
  ['snmpOid', 'value', null], ['cacheBust', 'bool', false], ['remote_browser', 'value', null], ['ipFamily', 'value', null],
  ['ping_count', 'value', 1], ['ping_numeric', 'bool', true], ['ping_per_request_timeout', 'value', 2],
];

/** The editable fields of a server version, with kind and default. */
export function editableFields(v2: boolean): [string, Kind, unknown][] {
  return v2 ? [...COMMON, ...V2_ONLY] : COMMON;
}

/** Keys `add` accepts: the editable columns plus `active` (and `id`, ignored). */
export function addableKeys(v2: boolean): Set<string> {
  return new Set([...editableFields(v2).map(([k]) => k), 'active', 'id']);
}

/** A new monitor with the UI's defaults for this version, overridden by `values`. */
export function defaultMonitor(v2: boolean, values: Record<string, unknown>): Record<string, unknown> {
  const monitor: Record<string, unknown> = Object.fromEntries(editableFields(v2).map(([k, , d]) => [k, structuredClone(d)]));
  return { ...monitor, ...values };
}

/** Interval limits (seconds): 20 s minimum on 1.23 (and 2.0.x), 1 s from 2.1.0; 24 days maximum. */
export function intervalLimits(v2: boolean): { min: number; max: number } {
  return { min: v2 ? 1 : 20, max: 24 * 86_400 };
}

/**
 * Checks what the server checks on add and edit. Returns the error message the callback
 * carries, or undefined when the monitor is acceptable.
 */
export function validateMonitor(v2: boolean, m: Record<string, unknown>): string | undefined {
  const codes = m.accepted_statuscodes;
  if (!Array.isArray(codes)) return "Cannot read properties of undefined (reading 'every')";
  if (!codes.every((c) => typeof c === 'string')) return 'Accepted status codes must be strings';
  const { min, max } = intervalLimits(v2);
  const interval = typeof m.interval === 'number' ? m.interval : Number.NaN;
  if (!Number.isFinite(interval) || interval < min) return `Interval cannot be less than ${min} seconds`;
  if (interval > max) return 'Interval cannot be more than 24 days';
  if (typeof m.retryInterval === 'number' && m.retryInterval < min) return `Retry interval cannot be less than ${min} seconds`;
  if (v2 && !Array.isArray(m.conditions)) return 'SQLITE_CONSTRAINT: NOT NULL constraint failed: monitor.conditions';
  if (typeof m.name !== 'string' || !m.name.trim()) return 'SQLITE_CONSTRAINT: NOT NULL constraint failed: monitor.name';
  return undefined;
}
