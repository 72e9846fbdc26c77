// bench/status: `homelab status` asks every service at once, so with every simulator
// answering 200 ms late it should take about as long as the slowest service, not the
// sum of all. In one run, interleaved, this measures `status` side by side with the
// same per-service headline calls made one after another, and prints the ratio.
// Run: node bench/status.mjs   (BENCH_RUNS=N, BENCH_LATENCY_MS=N to change the defaults)
import { importFromSrc } from './bundle-src.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 200);

const h = await importFromSrc('status', [
  "export { startLab } from './src/lab/lab.ts';",
  "export { attachSshTargets, findSshd } from './src/lab/ssh-target/index.ts';",
  "export { getRegistry } from './src/services/index.ts';",
  "export { ClientCache, createContext } from './src/core/context.ts';",
  "export { invoke } from './src/core/invoke.ts';",
  "export { loadConfig, isConfigured } from './src/core/config.ts';",
  "export { closeAllAgents } from './src/core/http/index.ts';",
  "export { fetchHeadline, headlineSources } from './src/services/setup/index.ts';",
]);

const lab = await h.startLab({ latencyMs, taskDurationMs: 300 });
// SSH targets on real sshd when installed, on ssh2's Server otherwise (as the demo).
const ssh = await h.attachSshTargets(lab);
const config = h.loadConfig(lab.env);
const registry = h.getRegistry();
const sources = h.headlineSources.filter((s) => (s.configured ? s.configured(config) : h.isConfigured(config, s.service)));
const context = () => h.createContext({ actor: { surface: 'cli', id: 'bench' }, env: { ...process.env, ...lab.env }, config, clients: new h.ClientCache() });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function timeStatus() {
  const ctx = context();
  const t0 = now();
  const r = await h.invoke(registry.get('status'), { timeout: 120 }, ctx);
  const ms = now() - t0;
  const down = r.services.filter((s) => s.state !== 'up').map((s) => `${s.service}: ${s.headline}`);
  if (down.length) throw new Error(`status: not every service answered:\n${down.join('\n')}`);
  return ms;
}

async function timeOneByOne() {
  const ctx = context();
  const per = {};
  for (const source of sources) {
    const t0 = now();
    const s = await h.fetchHeadline(ctx, registry, source, 120_000);
    per[source.service] = now() - t0;
    if (s.state !== 'up') throw new Error(`${source.service}: ${s.headline}`);
  }
  return per;
}

try {
  await timeStatus();
  await timeOneByOne();
  const statusMs = [];
  const perService = Object.fromEntries(sources.map((s) => [s.service, []]));
  const sums = [];
  for (let i = 0; i < runs; i++) {
    statusMs.push(await timeStatus());
    const per = await timeOneByOne();
    for (const [k, v] of Object.entries(per)) perService[k].push(v);
    sums.push(Object.values(per).reduce((a, b) => a + b, 0));
  }
  const slowest = Math.max(...Object.values(perService).map(median));
  console.log(`status with every simulator answering ${latencyMs} ms late; median of ${runs} interleaved runs; ${ssh.targets.size} SSH targets on ${h.findSshd() ? 'OpenSSH sshd' : "ssh2's Server"}`);
  for (const [service, xs] of Object.entries(perService)) console.log(`  ${service.padEnd(9)} alone ${median(xs).toFixed(0).padStart(6)} ms`);
  console.log(`  one service after another  ${median(sums).toFixed(0).padStart(6)} ms (sum)`);
  console.log(`  slowest service alone      ${slowest.toFixed(0).padStart(6)} ms`);
  console.log(`  status, all at once        ${median(statusMs).toFixed(0).padStart(6)} ms`);
  console.log(`\nratio status / sum of services: ${(median(statusMs) / median(sums)).toFixed(2)} (status / slowest service: ${(median(statusMs) / slowest).toFixed(2)}; ideal 1.00)`);
} finally {
  await h.closeAllAgents();
  await ssh.close();
  await lab.close();
}
