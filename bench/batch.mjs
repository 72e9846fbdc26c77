// bench/batch: 200 `dns add` as one `homelab batch` against a curl loop making the same 200
// Technitium API calls (/api/zones/records/add, a new curl process per call, as a shell
// script would), side by side in one run against the DNS simulator: interleaved, median
// of BENCH_RUNS (default 3). Goal: batch within 1.5x of the curl loop. Also prints the
// figure for the same 200 adds as 200 separate `homelab dns add` runs (once; set
// BENCH_SEPARATE=0 to skip it). Without curl, the baseline is a Node loop of fresh
// http.request calls without keep-alive (it says so). Run: npm run bench:batch.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const count = Number(process.env.BENCH_COUNT ?? 200);
const separate = process.env.BENCH_SEPARATE !== '0';
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const { startLab } = await import('../dist/lab.js');

const lab = await startLab({ services: ['dns'] });
const dns = lab.sims.get('dns');
const token = dns.credentials.values.DNS_TOKEN;
const zone = String(dns.configSection.zone ?? 'home.lan');
const work = mkdtempSync(join(tmpdir(), 'homelab-bench-batch-'));
const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;

// Every run adds its own 200 names (10.<run>.<i/250>.<i%250>), so no add meets an existing record.
const names = (tag) => Array.from({ length: count }, (_, i) => [`b${tag}-${i}`, `10.${20 + (tag % 200)}.${Math.floor(i / 250)}.${(i % 250) + 1}`]);
const addUrl = (name, ip) => `${dns.url}/api/zones/records/add?token=${token}&domain=${name}.${zone}&zone=${zone}&type=A&ipAddress=${ip}`;

// Async spawn: the simulator runs in this process and must keep answering meanwhile.
function timed(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...lab.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve(ms);
    });
  });
}

// The simulator runs in this process: count what reached its store.
const countNames = (prefix) => dns.store.records.filter((r) => r.type === 'A' && r.name.startsWith(`${prefix}-`)).length;

let tag = 0;
const cases = {
  'homelab batch': async () => {
    const t = ++tag;
    const file = join(work, `batch-${t}.txt`);
    writeFileSync(file, names(t).map(([n, ip]) => `dns add ${n} ${ip}`).join('\n'));
    return [await timed(process.execPath, [cli, 'batch', file]), `b${t}`];
  },
  [hasCurl ? 'curl loop' : 'node loop (no curl)']: async () => {
    const t = ++tag;
    const file = join(work, `loop-${t}`);
    if (hasCurl) {
      writeFileSync(file, names(t).map(([n, ip]) => `curl -s -o /dev/null '${addUrl(n, ip)}'`).join('\n'));
      return [await timed('sh', [file]), `b${t}`];
    }
    const urls = names(t).map(([n, ip]) => addUrl(n, ip));
    writeFileSync(file, `import http from 'node:http';\nfor (const u of ${JSON.stringify(urls)}) await new Promise((ok, no) => http.get(u, { agent: false }, (r) => { r.resume(); r.on('end', ok); }).on('error', no));\n`);
    return [await timed(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(`file://${file}`)})`]), `b${t}`];
  },
};

const samples = new Map(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, run] of Object.entries(cases)) {
    const [ms, prefix] = await run();
    const added = countNames(prefix);
    if (added !== count) throw new Error(`${name} added ${added} of ${count} records`);
    samples.get(name).push(ms);
  }
}

let separateMs;
if (separate) {
  const t = ++tag;
  const start = process.hrtime.bigint();
  for (const [n, ip] of names(t)) await timed(process.execPath, [cli, 'dns', 'add', n, ip]);
  separateMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (countNames(`b${t}`) !== count) throw new Error('separate runs did not add every record');
}
await lab.close();
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [batchName, baseName] = Object.keys(cases);
const batch = median(samples.get(batchName));
const base = median(samples.get(baseName));
console.log(`${count} dns add against the DNS simulator, median of ${runs} interleaved runs`);
if (!hasCurl) console.log('(curl is not installed: the baseline is a Node loop of fresh http.request calls without keep-alive)');
console.log(`${baseName.padEnd(28)} ${base.toFixed(0).padStart(7)} ms`);
console.log(`${batchName.padEnd(28)} ${batch.toFixed(0).padStart(7)} ms   ${(batch / base).toFixed(2)}x ${baseName} (goal <= 1.5)`);
if (separateMs !== undefined) console.log(`${`${count} separate homelab runs`.padEnd(28)} ${separateMs.toFixed(0).padStart(7)} ms   ${(separateMs / base).toFixed(2)}x ${baseName} (measured once)`);
