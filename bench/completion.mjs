// bench/completion: what one Tab costs. Each Tab runs `homelab __complete …` (a node start,
// then the CLI bundle through its V8 code cache, the command index, config.yaml and the
// completion cache; no network). Measured side by side with bare `node -e 0` and with
// `homelab --version` (the entry file alone) in one run, interleaved, median of BENCH_RUNS
// (default 15) after one untimed round that writes the code caches; printed in ms and as a
// ratio to `node -e 0`, wall time and CPU time (user + system, which a busy machine distorts
// less). The cases: a verb (`pve st`), a flag's enum choices, cached VMIDs, and a bash
// script's whole Tab (the generated function called with COMP_WORDS set).
// The VMIDs are those a real `homelab pve list` stored (the CLI's own cache writer, its
// current format) against a simulated lab of 200 guests, started here on loopback and only
// listed once; every case must offer candidates, checked before anything is timed.
// Run with `npm run build && node bench/completion.mjs`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 15);
const cli = fileURLToPath(new URL('../bin/homelab.cjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'homelab-bench-completion-'));
const { startLab } = await import('../dist/lab.js');
// 200 guests: the simulator's own plus these.
const lab = await startLab({ services: ['pve'], extraGuests: 190, dir: join(work, 'lab') });
const env = { ...process.env, XDG_CACHE_HOME: join(work, 'cache'), ...lab.env };
const script = join(work, 'homelab.bash');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function run(command, args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      else resolve({ ms, out });
    });
  });
}
// CPU time of a child: /usr/bin/time is not everywhere; bash's `times` is.
function cpu(command, args) {
  const line = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return run('bash', ['-c', `${line} >/dev/null; times`]).then(({ out }) => {
    const child = out.trim().split('\n').at(-1).split(/\s+/).map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : 0; });
    return child[0] + child[1];
  });
}

await run(process.execPath, [cli, 'completion', 'bash']).then(({ out }) => writeFileSync(script, out));
// The listing stores what Tab offers; the lab is not needed after it.
const guests = JSON.parse((await run(process.execPath, [cli, 'pve', 'list', '--json'])).out).length;
await lab.close();
const tab = (words, cword) => ['-c', `source ${script}; COMP_WORDS=(${words}); COMP_CWORD=${cword}; _homelab_completion; echo "\${#COMPREPLY[@]}"`];
const cases = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ['homelab --version', process.execPath, [cli, '--version']],
  ['homelab pve --help (for comparison)', process.execPath, [cli, 'pve', '--help']],
  ['__complete pve st (verbs)', process.execPath, [cli, '__complete', 'bash', 'pve', 'st']],
  ['__complete pve list --type (choices)', process.execPath, [cli, '__complete', 'bash', 'pve', 'list', '--type', '']],
  ['__complete pve start 1 (cached VMIDs)', process.execPath, [cli, '__complete', 'bash', 'pve', 'start', '1']],
  ['bash Tab: pve start 1 (whole function)', 'bash', tab("homelab pve start 1", 3)],
  ['bash -c true', 'bash', ['-c', 'true']],
];
// The untimed round, which also checks that each case offers what it should.
const offered = (out) => out.split('\n').slice(1).filter(Boolean).length;
const expected = {
  '__complete pve st (verbs)': (out) => offered(out) >= 3,
  '__complete pve list --type (choices)': (out) => offered(out) === 2,
  '__complete pve start 1 (cached VMIDs)': (out) => offered(out) >= 100,
  'bash Tab: pve start 1 (whole function)': (out) => Number(out.trim()) >= 100,
};
for (const [name, cmd, args] of cases) {
  const { out } = await run(cmd, args);
  if (expected[name] && !expected[name](out)) throw new Error(`${name}: offered nothing like what it should (${guests} guests listed):\n${out.slice(0, 500)}`);
}
const wall = new Map(cases.map(([name]) => [name, []]));
const cpus = new Map(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, cmd, args] of cases) {
    wall.get(name).push((await run(cmd, args)).ms);
    cpus.get(name).push(await cpu(cmd, args));
  }
}
const base = median(wall.get('node -e 0'));
const baseCpu = median(cpus.get('node -e 0'));
console.log(`Tab latency, median of ${runs} (node ${process.version}), ${guests} guests cached; ratios to node -e 0`);
console.log(`${'case'.padEnd(42)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(6)} ${'cpu ms'.padStart(8)} ${'ratio'.padStart(6)}`);
for (const [name] of cases) {
  const w = median(wall.get(name));
  const c = median(cpus.get(name));
  console.log(`${name.padEnd(42)} ${w.toFixed(1).padStart(8)} ${(w / base).toFixed(2).padStart(6)} ${c.toFixed(0).padStart(8)} ${(c / baseCpu).toFixed(2).padStart(6)}`);
}
rmSync(work, { recursive: true, force: true });
