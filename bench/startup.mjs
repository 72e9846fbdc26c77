// bench/startup: the CLI's cold start, measured side by side with bare `node -e 0` in
// one run (interleaved, median of N), printed as ratios. Target: `--version` within
// 1.5x of `node -e 0`. Run with `npm run bench` (builds first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const { startLab } = await import('../dist/lab.js');

// Async spawn: the simulator runs in this process and must keep answering meanwhile.
function time(args, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(ms);
    });
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const lab = await startLab({ services: ['pve'] });
const cases = [
  ['node -e 0', ['-e', '0'], {}],
  ['homelab --version', [cli, '--version'], {}],
  ['homelab --help', [cli, '--help'], {}],
];
cases.push(['homelab pve list --json', [cli, 'pve', 'list', '--json'], lab.env]);
const samples = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) for (const [name, args, env] of cases) samples.get(name).push(await time(args, env));
await lab.close();

const base = median(samples.get('node -e 0'));
console.log(`cold start, median of ${runs} interleaved runs`);
for (const [name] of cases) {
  const m = median(samples.get(name));
  console.log(`${name.padEnd(26)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)}x node -e 0`);
}
const ratio = median(samples.get('homelab --version')) / base;
console.log(`\nratio --version / node -e 0: ${ratio.toFixed(2)} (target <= 1.5)`);
