/**
 * @module services/kuma/metrics
 * Reads Uptime Kuma's `/metrics` (Prometheus text, shared/api/uptime-kuma.md §5) into one
 * state per monitor: status, last response time, certificate days, and on 2.1+ the
 * uptime ratios. Monitors are keyed by `monitor_id` (2.0+) or, on 1.23, by their labels.
 * Label values `null` or empty mean "not set". Paused monitors are not in `/metrics`.
 * `checkMetricsText` refuses an answer that is not Kuma's metrics page at all.
 */
import { bodyExcerpt, looksLikeHtml, UnexpectedAnswerError, type HttpResponse } from '../../core/http/index.js';

/**
 * Throws "unexpected answer from kuma" unless the body is Prometheus text carrying Kuma's
 * `monitor_status` gauge (its `# TYPE` line is there even with no monitors) and ends with
 * a line feed, as the exposition format requires of its last line (else it was cut short).
 */
export function checkMetricsText(res: Pick<HttpResponse, 'status' | 'text' | 'headers'>): void {
  const type = String(res.headers['content-type'] ?? '');
  const excerpt = bodyExcerpt(res, 60);
  const said = excerpt ? `: "${excerpt}"` : ': an empty body';
  if (looksLikeHtml(res.text, type) || !/^(# TYPE monitor_status gauge|monitor_status[{\s])/m.test(res.text)) {
    throw new UnexpectedAnswerError('kuma', res.status, `/metrics is not Prometheus metrics (no monitor_status lines)${said}`);
  }
  if (!res.text.endsWith('\n')) throw new UnexpectedAnswerError('kuma', res.status, '/metrics was cut short (its last line is incomplete)');
}

/** One sample line. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim().replace(/^,/, '').trim();
    if (text[eq + 1] !== '"') throw new Error(`bad label ${key}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : (text[j] ?? '');
      } else value += text[j];
    }
    labels[key] = value;
    i = j + 1;
    while (text[i] === ',' || text[i] === ' ') i++;
  }
  return labels;
}

/** Parses Prometheus text exposition; comment and malformed lines are skipped. */
export function parsePrometheus(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!match) continue;
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    try {
      samples.push({ name: match[1] as string, labels: match[2] ? parseLabels(match[2]) : {}, value });
    } catch {
      continue;
    }
  }
  return samples;
}

/** `kuma status`: one monitor's state from `/metrics`. */
export interface MonitorState {
  /** Monitor id (2.0+ servers label it); null on 1.23. */
  id: number | null;
  name: string;
  type: string;
  url: string | null;
  hostname: string | null;
  port: number | null;
  /** What the monitor checks, for display. */
  target: string;
  status: 'up' | 'down' | 'pending' | 'maintenance' | 'unknown';
  /** Last response time in ms; null when none. */
  responseMs: number | null;
  certDaysLeft: number | null;
  certValid: boolean | null;
  /** Uptime ratio 0–1 over the last day / 30 days (2.1+). */
  uptime1d: number | null;
  uptime30d: number | null;
}

const STATUS: Record<number, MonitorState['status']> = { 0: 'down', 1: 'up', 2: 'pending', 3: 'maintenance' };
const unset = (v: string | undefined): string | null => (v === undefined || v === '' || v === 'null' || v === 'undefined' ? null : v);

/** What a monitor of this type checks: its URL, host[:port], or nothing (push, group). */
export function monitorTarget(type: string, url: string | null, hostname: string | null, port: number | null): string {
  if (['http', 'keyword', 'json-query', 'real-browser'].includes(type)) return url ?? '-';
  if (type === 'push' || type === 'group') return '-';
  if (hostname) return port ? `${hostname}:${port}` : hostname;
  return url && url !== 'https://' ? url : '-';
}

/** Groups the monitor gauges into one state per monitor, down ones first, then by name; a value that is not finite counts as absent. */
export function monitorStates(samples: readonly PromSample[]): MonitorState[] {
  const byKey = new Map<string, MonitorState>();
  for (const s of samples) {
    if (!s.name.startsWith('monitor_') || s.labels.monitor_name === undefined) continue;
    const { window, ...common } = s.labels;
    const key = common.monitor_id ?? JSON.stringify(common);
    let state = byKey.get(key);
    if (!state) {
      const type = common.monitor_type ?? 'unknown';
      const url = unset(common.monitor_url);
      const hostname = unset(common.monitor_hostname);
      const port = unset(common.monitor_port) === null ? null : Number(common.monitor_port);
      state = {
        id: unset(common.monitor_id) === null ? null : Number(common.monitor_id), name: common.monitor_name ?? '', type, url, hostname,
        port: Number.isFinite(port) ? port : null, target: monitorTarget(type, url, hostname, Number.isFinite(port) ? port : null),
        status: 'unknown', responseMs: null, certDaysLeft: null, certValid: null, uptime1d: null, uptime30d: null,
      };
      byKey.set(key, state);
    }
    // A value no monitor can have (`-5e308` reads as -Infinity, `NaN`) is absent, never shown as "-Infinity d".
    if (!Number.isFinite(s.value)) continue;
    if (s.name === 'monitor_status') state.status = STATUS[s.value] ?? 'unknown';
    else if (s.name === 'monitor_response_time') state.responseMs = s.value >= 0 ? s.value : null;
    else if (s.name === 'monitor_cert_days_remaining') state.certDaysLeft = s.value;
    else if (s.name === 'monitor_cert_is_valid') state.certValid = s.value === 1;
    else if (s.name === 'monitor_uptime_ratio' && window === '1d') state.uptime1d = s.value;
    else if (s.name === 'monitor_uptime_ratio' && window === '30d') state.uptime30d = s.value;
  }
  const rank = (s: MonitorState): number => (s.status === 'down' ? 0 : s.status === 'up' ? 2 : 1);
  return [...byKey.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
