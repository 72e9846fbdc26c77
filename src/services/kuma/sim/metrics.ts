/**
 * @module services/kuma/sim/metrics
 * `/metrics` in Prometheus text format as Uptime Kuma's prom-client renders it: the four
 * monitor gauges with the common labels (`monitor_id` from 2.0), the 2.1 uptime and
 * average-response gauges with a `window` label, and a few process metrics around them.
 * A gauge series exists only once a monitor has a heartbeat; paused monitors are removed;
 * certificate series exist only for monitors whose check saw a TLS certificate.
 */
import type { KumaState } from './state.js';

function label(value: unknown): string {
  const text = value === null || value === undefined ? 'null' : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Renders the metrics page. */
export function renderMetrics(state: KumaState): string {
  const series: Record<string, string[]> = {
    monitor_cert_days_remaining: [], monitor_cert_is_valid: [], monitor_response_time: [], monitor_status: [],
    monitor_uptime_ratio: [], monitor_response_time_seconds: [],
  };
  for (const [id, m] of state.monitors) {
    const last = state.last(id);
    if (!m.active || !last) continue;
    const common = [
      ...(state.v2 ? [`monitor_id="${id}"`] : []),
      `monitor_name="${label(m.name)}"`, `monitor_type="${label(m.type)}"`, `monitor_url="${label(m.url)}"`,
      `monitor_hostname="${label(m.hostname)}"`, `monitor_port="${label(m.port)}"`,
    ].join(',');
    const days = state.certDays.get(id);
    if (days !== undefined) {
      series.monitor_cert_days_remaining?.push(`monitor_cert_days_remaining{${common}} ${days}`);
      series.monitor_cert_is_valid?.push(`monitor_cert_is_valid{${common}} ${days > 0 ? 1 : 0}`);
    }
    series.monitor_response_time?.push(`monitor_response_time{${common}} ${last.ping ?? -1}`);
    series.monitor_status?.push(`monitor_status{${common}} ${last.status}`);
    if (state.v2) {
      for (const [window, hours] of [['1d', 24], ['30d', 720], ['365d', 8760]] as const) {
        series.monitor_uptime_ratio?.push(`monitor_uptime_ratio{${common},window="${window}"} ${state.uptime(id, hours)}`);
        const avg = state.avgPing(id);
        series.monitor_response_time_seconds?.push(`monitor_response_time_seconds{${common},window="${window}"} ${avg === null ? 0 : avg / 1000}`);
      }
    }
  }
  const help: Record<string, string> = {
    monitor_cert_days_remaining: 'The number of days remaining until the certificate expires',
    monitor_cert_is_valid: 'Is the certificate still valid? (1 = Yes, 0= No)',
    monitor_response_time: 'Monitor Response Time (ms)',
    monitor_status: 'Monitor Status (1 = UP, 0= DOWN, 2= PENDING, 3= MAINTENANCE)',
    monitor_uptime_ratio: 'Uptime ratio of the monitor over a window',
    monitor_response_time_seconds: 'Average response time of the monitor over a window (seconds)',
  };
  const out = [
    '# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.',
    '# TYPE process_cpu_user_seconds_total counter',
    'process_cpu_user_seconds_total 312.45',
    '',
    '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
    '# TYPE nodejs_heap_size_used_bytes gauge',
    'nodejs_heap_size_used_bytes 98113536',
    '',
  ];
  for (const [name, lines] of Object.entries(series)) {
    if (!state.v2 && (name === 'monitor_uptime_ratio' || name === 'monitor_response_time_seconds')) continue;
    out.push(`# HELP ${name} ${help[name]}`, `# TYPE ${name} gauge`, ...lines, '');
  }
  out.push('# HELP http_request_duration_seconds Duration of HTTP requests in seconds', '# TYPE http_request_duration_seconds histogram',
    'http_request_duration_seconds_bucket{le="0.1",method="GET",route="/metrics",status_code="200"} 12', '');
  return out.join('\n');
}
