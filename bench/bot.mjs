// bench/bot: `homelab bot` under load. The real bot process (dist/cli.js bot) runs against
// the lab simulators and the simulated Bot API (telegram-test-api behind our server);
// 20 allowed users send 200 commands at once (/status, /pve list, /dns records, /pbs and
// free text). After a first burst, the burst runs without, then with one user's `/pve nodes`
// hanging on the PVE simulator (its GET /nodes never answered; the command ends at its time
// limit), twice, interleaved, so the ratio of the two p95s shows whether one slow command
// holds up the others. Prints replies received / expected (each reply checked against the
// chat that asked: every user sends a different mix, so a reply in the wrong chat shows),
// p50/p95 reply latency, the ratio, `/status` with every PVE answer 3 s late, and the bot's
// RSS (/proc/<pid>/status: idle, peak, right after the bursts and a minute later).
// Run: npm run bench:bot   (BENCH_SETTLE_SECONDS=N shortens the wait after the bursts, default 60;
// BENCH_LATENCY_MS=N: every simulator answers N ms late, default 20; BENCH_NODE_ARGS="--trace-gc"
// passes Node options to the bot; BENCH_BOT_OUTPUT=1 shows what the bot writes besides its JSON log;
// BENCH_DEBUG=1 shows replies that matched no command)
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { importFromSrc } from './bundle-src.mjs';

const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const USERS = 20;
const PER_USER = 10;
const HANG_LIMIT_S = 20;
const ROUNDS = 2;
const root = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;

const h = await importFromSrc('bot', [
  "export { startLab } from './src/lab/lab.ts';",
  "export { startTelegramSim } from './src/services/telegram/sim/index.ts';",
]);

const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What kind of command a bot message answers; undefined for progress messages. */
function kindOf(plain) {
  if (/^[⏳✓✖]/u.test(plain)) return undefined;
  if (plain.includes('Saved to the inbox')) return 'text';
  if (/services answered|services down/.test(plain)) return 'status';
  if (plain.startsWith('VMID')) return 'pve';
  if (plain.startsWith('zone ')) return 'dns';
  if (/^Backups |^DATASTORE/.test(plain)) return 'pbs';
  if (plain.includes('timed out')) return 'hang';
  return 'other';
}

const COMMANDS = { status: '/status', pve: '/pve list', dns: '/dns records', pbs: '/pbs', text: null };
const KINDS = Object.keys(COMMANDS);

/** User i's ten commands: a mix that differs per user, so a reply sent to the wrong chat shows up as a count mismatch. */
function mixOf(i) {
  return Array.from({ length: PER_USER }, (_, j) => KINDS[(i + j * (1 + (i % 3))) % KINDS.length]);
}

const lab = await h.startLab({ latencyMs, taskDurationMs: 300 });
const sim = await h.startTelegramSim();
const userIds = Array.from({ length: USERS }, (_, i) => 3001 + i);
lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: userIds[0], allowed_users: userIds, timeout_seconds: HANG_LIMIT_S } });
const credDir = join(lab.env.HOMELAB_CONFIG_HOME, 'telegram');
mkdirSync(credDir, { recursive: true });
writeFileSync(join(credDir, 'credentials'), `TELEGRAM_BOT_TOKEN=${sim.token}\n`, { mode: 0o600 });
chmodSync(join(credDir, 'credentials'), 0o600);
const users = userIds.map((userId) => sim.user({ userId }));

// Every bot message, stamped when the simulator stored it.
const arrivals = [];
sim.state.events.on('change', () => {
  const t = now();
  while (arrivals.length < sim.state.messages.length) arrivals.push({ msg: sim.state.messages[arrivals.length], at: t });
});

const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), join(root, 'dist', 'cli.js'), 'bot'], {
  env: { PATH: process.env.PATH ?? '', HOME: lab.dir, ...lab.env },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let started = false;
let logLines = 0;
let stderr = '';
const errorsLogged = [];
child.stdout.setEncoding('utf8').on('data', (d) => {
  for (const line of d.split('\n')) {
    if (!line) continue;
    if (process.env.BENCH_BOT_OUTPUT && !line.startsWith('{')) console.error(`  bot: ${line}`);
    logLines++;
    if (line.includes('"bot started"')) started = true;
    if (/"level":"(error|warn)"/.test(line) && !/"op":"pve\.nodes"/.test(line) && errorsLogged.length < 8) errorsLogged.push(line);
  }
});
child.stderr.setEncoding('utf8').on('data', (d) => { if (process.env.BENCH_BOT_OUTPUT) process.stderr.write(d); else stderr += d; });

function rss() {
  try {
    const s = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}
let peakSampled = 0;
const sampler = setInterval(() => { peakSampled = Math.max(peakSampled, rss().rss || 0); }, 20);

async function until(find, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = find();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${stderr ? `\nbot stderr: ${stderr}` : ''}`);
    await sleep(10);
  }
}

/** Sends every user's mix at once; waits for every reply; returns latencies and the per-chat check. */
async function burst(label) {
  const from = arrivals.length;
  const sent = [];
  await Promise.all(users.map(async (u, i) => Promise.all(mixOf(i).map(async (kind, j) => {
    const t = now();
    await u.send(COMMANDS[kind] ?? `bench note ${i}.${j}: buy milk`);
    sent.push({ chat: u.chatId, kind, at: t });
  }))));
  const expected = sent.length;
  const replies = () => arrivals.slice(from).filter((a) => { const k = kindOf(a.msg.plain); return k && k !== 'hang'; });
  await until(() => replies().length >= expected, `${label}: ${expected} replies`, 120_000).catch((err) => console.error(String(err.message)));
  await sleep(300); // anything extra (a duplicate, a stray reply) shows up too
  const got = replies();
  // Per chat and kind: the n-th reply answers the n-th command of that kind.
  const latencies = [];
  let wrongChat = 0;
  let unexpected = 0;
  const byChat = new Map();
  for (const s of sent) {
    const key = `${s.chat}:${s.kind}`;
    byChat.set(key, [...(byChat.get(key) ?? []), s]);
  }
  for (const a of got) {
    const kind = kindOf(a.msg.plain);
    const queue = byChat.get(`${a.msg.chatId}:${kind}`);
    if (kind === 'other') { unexpected++; if (unexpected <= 3) console.error(`  unexpected reply in chat ${a.msg.chatId}: ${a.msg.plain.slice(0, 200)}`); continue; }
    if (!queue?.length) { wrongChat++; if (process.env.BENCH_DEBUG && wrongChat <= 4) console.error(`  [${kind}] in ${a.msg.chatId}: ${a.msg.plain.slice(0, 300)}`); continue; }
    latencies.push(a.at - queue.shift().at);
  }
  const matched = latencies.length;
  latencies.sort((a, b) => a - b);
  return { label, expected, received: got.length, matched, wrongChat, unexpected, latencies, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) ?? NaN };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

const mib = (b) => `${(b / MiB).toFixed(0)} MiB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

try {
  await until(() => started || child.exitCode !== null, 'the bot to start', 30_000);
  if (!started) throw new Error(`the bot did not start: ${stderr}`);
  await sleep(2000);
  const idle = rss().rss;

  // Warm-up: one of each command, not counted (first use loads each service's module).
  const warmFrom = arrivals.length;
  for (const kind of KINDS) await users[0].send(COMMANDS[kind] ?? 'warm-up note');
  await until(() => arrivals.slice(warmFrom).filter((a) => kindOf(a.msg.plain)).length >= KINDS.length, 'warm-up replies', 60_000);
  await sleep(500);

  // `/status` with every PVE answer 3 s late.
  const pve = lab.sims.get('pve');
  pve.faults.latencyMs = 3000;
  const statusFrom = arrivals.length;
  const statusSent = now();
  await users[1].send('/status');
  const statusReply = await until(() => arrivals.slice(statusFrom).find((a) => kindOf(a.msg.plain) === 'status'), '/status with PVE slow', 60_000);
  pve.faults.latencyMs = latencyMs;

  // The bursts: a first one (connections, compiled code), then without and with the hanging command, twice, interleaved.
  const first = await burst('first burst (not in the ratio)');
  const hangs = [];
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(await burst('without the hanging command'));
    // One user's `/pve nodes` hangs: the PVE simulator never answers its GET /nodes.
    pve.faults.hangNext = 1;
    const hang = { sent: now(), from: arrivals.length };
    await users[0].send('/pve nodes');
    await until(() => pve.faults.hangNext === 0, 'the hanging request to reach the PVE simulator', 10_000);
    hangs.push(hang);
    runs.push(await burst('with one command hanging'));
  }
  const afterBurst = rss().rss;
  const settleStart = now();
  for (const hang of hangs) {
    hang.reply = await until(() => arrivals.slice(hang.from).find((a) => kindOf(a.msg.plain) === 'hang' && a.msg.chatId === users[0].chatId && !hangs.some((o) => o.reply === a)),
      'the hanging command to time out', (HANG_LIMIT_S + 30) * 1000);
  }
  await sleep(Math.max(0, settleSeconds * 1000 - (now() - settleStart)));
  const settled = rss().rss;
  const peak = Math.max(rss().hwm, peakSampled);

  const all = [first, ...runs];
  const pool = (label) => {
    const rs = runs.filter((r) => r.label === label);
    const lat = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return { p50: percentile(lat, 0.5), p95: percentile(lat, 0.95) };
  };
  const without = pool('without the hanging command');
  const withHang = pool('with one command hanging');
  const expected = all.reduce((a, r) => a + r.expected, 0);
  const received = all.reduce((a, r) => a + r.matched, 0);
  const wrong = all.reduce((a, r) => a + r.wrongChat, 0);
  const unexpected = all.reduce((a, r) => a + r.unexpected, 0);
  console.log(`homelab bot under load: ${USERS} users × ${PER_USER} commands at once (/status, /pve list, /dns records, /pbs, free text); simulators ${latencyMs} ms late\n`);
  for (const r of all) {
    console.log(`  ${r.label.padEnd(30)} replies ${r.matched}/${r.expected}${r.wrongChat ? `, ${r.wrongChat} in the wrong chat` : ''}${r.unexpected ? `, ${r.unexpected} unexpected` : ''}` +
      `  p50 ${s(r.p50)}  p95 ${s(r.p95)}  max ${s(r.max)}`);
  }
  for (const hang of hangs) {
    console.log(`  hanging /pve nodes             answered "${hang.reply.msg.plain.split('\n').join(' ').slice(0, 70)}" after ${s(hang.reply.at - hang.sent)}, in chat ${hang.reply.msg.chatId} (sent from ${users[0].chatId})`);
  }
  console.log(`\nreplies received / expected: ${received}/${expected} (${all.length} bursts of ${USERS * PER_USER}; ${wrong} in the wrong chat, ${unexpected} unexpected)`);
  console.log(`reply latency without the hanging command: p50 ${s(without.p50)}, p95 ${s(without.p95)}; with it: p50 ${s(withHang.p50)}, p95 ${s(withHang.p95)}`);
  console.log(`ratio p95 with the hanging command / without: ${(withHang.p95 / without.p95).toFixed(2)} (goal ≤ 1.5)`);
  console.log(`/status with every PVE answer 3 s late: ${s(statusReply.at - statusSent)} (goal ≤ 4 s)`);
  console.log(`bot RSS: idle ${mib(idle)} (goal ≤ 80), peak ${mib(peak)} (goal ≤ 150), right after the bursts ${mib(afterBurst)}, ` +
    `${((now() - settleStart) / 1000).toFixed(0)} s later ${mib(settled)} (goal < 100 after 60 s)`);
  console.log(`bot log: ${logLines} lines${errorsLogged.length ? `; warnings and errors (first ${errorsLogged.length}):\n${errorsLogged.join('\n')}` : ''}`);
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('close', r)));
  await sim.close();
  await lab.close();
}
