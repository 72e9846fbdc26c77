// bench/startup: the CLI's cold start and one full round trip, measured side by side with
// bare `node -e 0` in one run (interleaved, median of BENCH_RUNS, default 15), printed as
// ratios against the targets of issue 10:
//   --help and pve --help <= 1.5x; pve list --json and dns records --json (against the local
//   simulators, full round trip) <= 2.5x with peak RSS <= 70 MiB; and no slower than a
//   python3 urllib one-liner making the same PVE request (row skipped when python3 is absent).
// Peak RSS is read in separate, untimed runs through a tiny --import preload that reports
// process.resourceUsage() at exit (Node only; no /usr/bin/time needed); the same runs give
// each command's CPU time (user + system), which a busy machine distorts far less than
// wall time, printed as a second ratio. Both tables are interleaved (each round runs every
// case once) after one untimed warm-up round.
// homelab runs as installed (bin/homelab.cjs), with a V8 code cache of its own in a temporary
// XDG_CACHE_HOME, which the untimed warm-up round writes (src/surfaces/cli/code-cache.ts); one
// more row shows a run without it (NODE_DISABLE_COMPILE_CACHE=1): a command's first run, or
// a machine whose cache directory is not usable. The python3 comparison is printed twice:
// with the warm code cache (the target), and cold, from that row (no cache read, none written).
// BENCH_RUNS and BENCH_RSS_RUNS set the iteration counts (BENCH_RUNS=1 BENCH_RSS_RUNS=1 for a
// quick look that it runs; the figures then mean little).
// Run with `npm run bench` (builds first).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const rssRuns = Number(process.env.BENCH_RSS_RUNS ?? 5);
const cli = fileURLToPath(new URL('../bin/homelab.cjs', import.meta.url));
const { startLab } = await import('../dist/lab.js');

const work = mkdtempSync(join(tmpdir(), 'homelab-bench-startup-'));
const rssFile = join(work, 'rss');
const preload = join(work, 'rss.mjs');
writeFileSync(preload, `import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); appendFileSync(${JSON.stringify(rssFile)}, u.maxRSS + ' ' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Async spawn: the simulators run in this process and must keep answering meanwhile.
function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(ms);
    });
  });
}

const lab = await startLab({ services: ['pve', 'dns'] });
const pve = lab.sims.get('pve');
const hasPython = spawnSync('python3', ['-c', '0'], { stdio: 'ignore' }).status === 0;
// The same request as `pve list` (GET /cluster/resources?type=vm with the API token). The
// one-liner skips certificate checks, where homelab checks the pinned fingerprint.
const pveToken = `PVEAPIToken=${pve.credentials.values.PVE_TOKEN_ID}=${encodeURIComponent(pve.credentials.values.PVE_TOKEN_SECRET)}`;
const python = [
  'import json,ssl,sys,urllib.request as u',
  `r=u.urlopen(u.Request(sys.argv[1]+'/api2/json/cluster/resources?type=vm',headers={'Authorization':sys.argv[2]}),context=ssl._create_unverified_context(),timeout=15)`,
  "print(json.dumps(json.load(r)['data'],indent=2))",
].join(';');

const cache = { XDG_CACHE_HOME: join(work, 'cache') };
/** The row of `pve list` without the code cache (code-cache.ts is off under NODE_DISABLE_COMPILE_CACHE). */
const COLD = 'pve list --json, no code cache';
const PYTHON = 'python3 urllib (same PVE GET)';
const labEnv = { ...lab.env, ...cache };
const cases = [
  ['node -e 0', process.execPath, ['-e', '0'], {}],
  ['homelab --version', process.execPath, [cli, '--version'], cache],
  ['homelab --help', process.execPath, [cli, '--help'], cache, 1.5],
  ['homelab pve --help', process.execPath, [cli, 'pve', '--help'], cache, 1.5],
  ['homelab pve list --json', process.execPath, [cli, 'pve', 'list', '--json'], labEnv, 2.5],
  ['homelab dns records --json', process.execPath, [cli, 'dns', 'records', '--json'], labEnv, 2.5],
  [COLD, process.execPath, [cli, 'pve', 'list', '--json'], { ...labEnv, NODE_DISABLE_COMPILE_CACHE: '1' }],
];
if (hasPython) cases.push([PYTHON, 'python3', ['-c', python, pve.url, pveToken], {}]);
// One untimed round first, so that no case pays for a cold file cache or a cold simulator.
for (const [, cmd, args, env] of cases) await run(cmd, args, env);
const samples = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) for (const [name, cmd, args, env] of cases) samples.get(name).push(await run(cmd, args, env));

// Peak RSS and CPU time, interleaved like the wall times (round by round through every case),
// so that a case measured first does not absorb what the machine was doing meanwhile.
const nodeCases = cases.filter(([, cmd]) => cmd === process.execPath);
const usage = new Map(nodeCases.map(([name]) => [name, []]));
for (let i = 0; i < rssRuns; i++) {
  for (const [name, , args, env] of nodeCases) {
    rmSync(rssFile, { force: true });
    await run(process.execPath, ['--import', pathToFileURL(preload).href, ...args], env);
    const [kib, us] = readFileSync(rssFile, 'utf8').trim().split(' ').map(Number);
    usage.get(name).push({ kib, us });
  }
}
const rss = new Map([...usage].map(([name, rows]) => [name, Math.max(...rows.map((r) => r.kib)) / 1024]));
const cpu = new Map([...usage].map(([name, rows]) => [name, median(rows.map((r) => r.us / 1000))]));
await lab.close();
rmSync(work, { recursive: true, force: true });

const base = median(samples.get('node -e 0'));
const verdict = (ok) => (ok ? 'ok' : 'MISSED');
console.log(`cold start (wall time), median of ${runs} interleaved runs; peak RSS: the highest of ${rssRuns} interleaved runs`);
for (const [name, , , , target] of cases) {
  const m = median(samples.get(name));
  const ratio = m / base;
  const goal = target ? `  target <= ${target}x: ${verdict(ratio <= target)}` : '';
  const mem = name.startsWith('homelab') && name.includes('--json') ? `  peak RSS ${rss.get(name).toFixed(1)} MiB (<= 70: ${verdict(rss.get(name) <= 70)})` : '';
  console.log(`${name.padEnd(32)} ${m.toFixed(1).padStart(7)} ms  ${ratio.toFixed(2).padStart(5)}x node -e 0${goal}${mem}`);
}
const cpuBase = cpu.get('node -e 0');
console.log(`\nCPU time (user + system), median of ${rssRuns} interleaved runs:`);
for (const [name, ms] of cpu) console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / cpuBase).toFixed(2).padStart(5)}x node -e 0`);
if (hasPython) {
  const py = median(samples.get(PYTHON));
  const warm = median(samples.get('homelab pve list --json'));
  const cold = median(samples.get(COLD));
  console.log(`\nhomelab pve list --json / python3 urllib: ${(warm / py).toFixed(2)} (${warm.toFixed(1)} vs ${py.toFixed(1)} ms; target <= 1.0: ${verdict(warm <= py)})`);
  console.log(`homelab pve list --json, cold (no code cache) / python3 urllib: ${(cold / py).toFixed(2)} (${cold.toFixed(1)} vs ${py.toFixed(1)} ms; a first run, or no usable cache directory)`);
} else {
  console.log('\npython3 is not installed: the python3 urllib row is skipped.');
}
