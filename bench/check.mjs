// bench/check: `homelab check` on a simulated 1,000-guest cluster. Per-guest data is read
// once per run, concurrently and bounded (`pve configs`: the guest list once, then 16
// configs at a time), where the guests watch check used to ask `pve config` guest by guest
// (each call reading the whole guest list again to find the guest). In one run,
// interleaved, this measures every guest's config read both ways side by side (`pve
// config` strictly one guest after another is measured once, as it is slow; asking every
// `pve config` at once, as the old check did, makes 1,000 whole guest lists at once and
// times out here, where the simulator shares the process) and prints the ratio, then the
// wall time of a whole `check` (every service) on that lab.
// Run: node bench/check.mjs   (BENCH_RUNS=N, BENCH_GUESTS=N to change the defaults)
import { importFromSrc } from './bundle-src.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const extraGuests = Number(process.env.BENCH_GUESTS ?? 1000);

const h = await importFromSrc('check', [
  "export { startLab } from './src/lab/lab.ts';",
  "export { ClientCache, createContext } from './src/core/context.ts';",
  "export { loadConfig } from './src/core/config.ts';",
  "export { closeAllAgents } from './src/core/http/index.ts';",
  "export { getRegistry } from './src/services/index.ts';",
]);

const lab = await h.startLab({ taskDurationMs: 300, extraGuests });
const config = h.loadConfig(lab.env);
const clients = new h.ClientCache();
const registry = h.getRegistry();
const operations = { find: (id) => registry.get(id) };
const context = () => h.createContext({ actor: { surface: 'cli', id: 'bench' }, env: { ...process.env, ...lab.env }, config, clients, operations });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function concurrent() {
  const t0 = now();
  const r = await context().invoke('pve.configs', { concurrency: 16 });
  return { ms: now() - t0, guests: r.guests.length };
}

async function oneByOne() {
  const ctx = context();
  const t0 = now();
  const list = await ctx.invoke('pve.list', {});
  for (const g of list) await ctx.invoke('pve.config', { vmid: g.vmid });
  return { ms: now() - t0, guests: list.length };
}

async function wholeCheck() {
  const t0 = now();
  const r = await context().invoke('check', {}).catch((err) => {
    if (err.result && !err.failures) return err.result; // errors found: exit 1 with the result
    throw err;
  });
  return { ms: now() - t0, guests: r.guests, findings: r.findings.length };
}

try {
  await concurrent();
  const fast = [];
  let serial = 0;
  const checks = [];
  let guests = 0;
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const a = await concurrent();
    fast.push(a.ms);
    if (i === Math.floor(runs / 2)) {
      const b = await oneByOne();
      if (a.guests !== b.guests) throw new Error(`pve configs read ${a.guests} guests, pve list ${b.guests}`);
      serial = b.ms;
    }
    const c = await wholeCheck();
    checks.push(c.ms);
    guests = c.guests;
    findings = c.findings;
  }
  const f = median(fast);
  console.log(`every guest's config, ${guests} guests, interleaved in one run:`);
  console.log(`  pve configs (list once, 16 at a time; median of ${runs})  ${f.toFixed(0).padStart(6)} ms`);
  console.log(`  pve config, one guest after another (1 run)         ${serial.toFixed(0).padStart(6)} ms`);
  console.log(`  ratio one-by-one / concurrent                       ${(serial / f).toFixed(1).padStart(6)}x`);
  console.log(`homelab check, every service, ${guests} guests: median ${median(checks).toFixed(0)} ms (${findings} findings; target under 5000 ms)`);
} finally {
  await clients.closeAll();
  await h.closeAllAgents();
  await lab.close();
}
