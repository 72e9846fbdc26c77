// bench/transport: which HTTP transport under HttpClient (src/core/http/transport.ts), node's
// own http(s) or undici, measured side by side in one run against the local simulators:
//   1. one-shot CLI: `homelab pve list --json` (pinned TLS) and `homelab dns records --json`
//      with HOMELAB_HTTP_TRANSPORT=node and =undici, interleaved, median of BENCH_RUNS (default
//      11), as ratios to bare `node -e 0`, plus peak RSS;
//   2. a long-running process (bot, watch, MCP): one HttpClient per transport in this process,
//      keep-alive, BENCH_REQUESTS (default 400) GETs one after another and the same number 16 at a
//      time, against the PVE simulator (pinned TLS) and the DNS simulator (plain HTTP).
// Prints undici / node for each row (> 1: node is faster). Run with `npm run build && node bench/transport.mjs`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const runs = Number(process.env.BENCH_RUNS ?? 11);
const requests = Number(process.env.BENCH_REQUESTS ?? 400);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const { startLab } = await import(pathToFileURL(join(root, 'dist', 'lab.js')).href);

const work = mkdtempSync(join(tmpdir(), 'homelab-bench-transport-'));
const rssFile = join(work, 'rss');
const preload = join(work, 'rss.mjs');
writeFileSync(preload, `import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => appendFileSync(${JSON.stringify(rssFile)}, process.resourceUsage().maxRSS + '\\n'));\n`);
// The HTTP core on its own, for the in-process rows (bundled where `undici` resolves).
const core = join(root, 'node_modules', '.cache', 'homelab-bench', 'http.mjs');
await build({ entryPoints: [join(root, 'src/core/http/index.ts')], outfile: core, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
const { HttpClient, closeAllAgents } = await import(pathToFileURL(core).href);

function run(args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const lab = await startLab({ services: ['pve', 'dns'] });
try {
  const cases = [['node -e 0', ['-e', '0'], {}]];
  for (const transport of ['node', 'undici']) {
    cases.push([`pve list --json (${transport})`, [cli, 'pve', 'list', '--json'], { ...lab.env, HOMELAB_HTTP_TRANSPORT: transport }]);
    cases.push([`dns records --json (${transport})`, [cli, 'dns', 'records', '--json'], { ...lab.env, HOMELAB_HTTP_TRANSPORT: transport }]);
  }
  const samples = new Map(cases.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i++) for (const [name, args, env] of cases) samples.get(name).push(await run(args, env));
  const rss = new Map();
  for (const [name, args, env] of cases.slice(1)) {
    rmSync(rssFile, { force: true });
    for (let i = 0; i < 3; i++) await run(['--import', pathToFileURL(preload).href, ...args], env);
    rss.set(name, Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number)) / 1024);
  }
  const base = median(samples.get('node -e 0'));
  console.log(`one-shot CLI, median of ${runs} interleaved runs (ratio to node -e 0 = ${base.toFixed(1)} ms; peak RSS of 3 runs)`);
  for (const [name] of cases.slice(1)) {
    const m = median(samples.get(name));
    console.log(`  ${name.padEnd(30)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}x  peak RSS ${rss.get(name).toFixed(1)} MiB`);
  }
  for (const cmd of ['pve list --json', 'dns records --json']) {
    console.log(`  ${cmd}: undici / node = ${(median(samples.get(`${cmd} (undici)`)) / median(samples.get(`${cmd} (node)`))).toFixed(2)}`);
  }

  const pve = lab.sims.get('pve');
  const dns = lab.sims.get('dns');
  const pveAuth = `PVEAPIToken=${pve.credentials.values.PVE_TOKEN_ID}=${encodeURIComponent(pve.credentials.values.PVE_TOKEN_SECRET)}`;
  const targets = {
    'pve (pinned TLS)': (transport) => ({ client: new HttpClient({ service: 'pve', transport, baseUrl: `${pve.url}/api2/json`, fingerprint: pve.fingerprint, headers: () => ({ authorization: pveAuth }) }), path: '/version' }),
    'dns (plain HTTP)': (transport) => ({ client: new HttpClient({ service: 'dns', transport, baseUrl: `${dns.url}/api`, headers: () => ({ authorization: `Bearer ${dns.credentials.values.DNS_TOKEN}` }) }), path: '/zones/list' }),
  };
  const timed = async (fn) => { const s = process.hrtime.bigint(); await fn(); return Number(process.hrtime.bigint() - s) / 1e6; };
  const sequential = async ({ client, path }) => { for (let i = 0; i < requests; i++) await client.request({ method: 'GET', path }); };
  const concurrent = async ({ client, path }) => {
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => { while (next++ < requests) await client.request({ method: 'GET', path }); }));
  };
  console.log(`\nlong-running process, ${requests} keep-alive GETs in this process (best of 3 alternating rounds)`);
  for (const [label, make] of Object.entries(targets)) {
    for (const [mode, fn] of [['one after another', sequential], ['16 at a time', concurrent]]) {
      const best = { node: Infinity, undici: Infinity };
      for (let round = 0; round < 3; round++) {
        for (const transport of ['node', 'undici']) {
          const target = make(transport);
          await target.client.request({ method: 'GET', path: target.path });
          best[transport] = Math.min(best[transport], await timed(() => fn(target)));
          await closeAllAgents();
        }
      }
      console.log(`  ${label.padEnd(18)} ${mode.padEnd(18)} node ${best.node.toFixed(0).padStart(5)} ms  undici ${best.undici.toFixed(0).padStart(5)} ms  undici / node = ${(best.undici / best.node).toFixed(2)}`);
    }
  }
} finally {
  await lab.close();
  rmSync(work, { recursive: true, force: true });
}
