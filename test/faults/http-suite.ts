/**
 * @module test/faults/http-suite
 * The fault suite of the plain-HTTP service clients (pve, pbs, dns, proxy, beszel), one
 * definition run once per service like a contract suite. Each fault is injected in the
 * service's simulator over real sockets and `homelab` runs as a user runs it (the built
 * binary in a child process; in-process `main()` with a TTY for progress). Every test
 * asserts the outcome the issue sets, checks from the simulator's request log that a
 * mutation is never sent twice, and records what it measured in the reliability table.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllAgents } from '../../src/core/http/index.js';
import { startLab, type LabSim, type RunningLab } from '../../src/lab/lab.js';
import type { LoggedRequest } from '../../src/lab/sim-server.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { closedPort } from './ports.js';
import { cellText, faultRecorder, type Fault } from './record.js';

/** A command and the request path its data call hits. */
export interface FaultCommand {
  args: string[];
  method: string;
  path: RegExp;
}

/** How a session's credentials stop working, and what the client must do about it. */
export interface TokenScenario {
  label: string;
  /** Prepares the lab (credentials, a first login) before the token is killed. */
  prepare?(lab: RunningLab): Promise<void> | void;
  /** Kills the token on the server; returns how to undo it. */
  expire(lab: RunningLab): Promise<() => void> | (() => void);
  /** `reauth`: logs in once more and succeeds; `refused`: exit 5. */
  outcome: 'reauth' | 'refused';
  /** The login request of `reauth` scenarios. */
  login?: { method: string; path: RegExp };
}

/** One service under the fault suite. */
export interface HttpFaultTarget {
  service: 'pve' | 'pbs' | 'dns' | 'proxy' | 'beszel';
  /** A read command; `check` asserts its stdout is the right answer. */
  read: FaultCommand & { check(stdout: string): void };
  /** A mutation (a fresh one for each `n`), or undefined when the service has none. */
  mutation?: (n: number) => FaultCommand;
  tokens: TokenScenario[];
}

/** Writes a credentials file of the lab (mode 0600). */
export function writeCredentials(lab: RunningLab, dir: string, values: Record<string, string>): void {
  const file = join(lab.env.HOMELAB_CONFIG_HOME, dir, 'credentials');
  writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  chmodSync(file, 0o600);
}

const matching = (log: LoggedRequest[], c: Pick<FaultCommand, 'method' | 'path'>): LoggedRequest[] =>
  log.filter((r) => r.method === c.method && c.path.test(r.path));
/** Requests the server carried out: not refused by a fault or by auth. */
const accepted = (log: LoggedRequest[], c: FaultCommand): number =>
  matching(log, c).filter((r) => (r.status === undefined || r.status < 400) && !r.authRefused).length;

const firstLine = (r: CliResult): string => r.stderr.trim().split('\n')[0] ?? '';
const quote = (r: CliResult, max = 80): string => {
  // Loopback ports and the size of a seeded body change every run: the table shows where and what, not which.
  const line = firstLine(r).replace(/^homelab: /, '').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/\b\d+ bytes?\b/g, 'N bytes');
  return `"${line.length > max ? `${line.slice(0, max - 1)}…` : line}"`;
};
const summary = (r: CliResult): string => `exit ${r.code} · ${quote(r)}`;

/** A stream that looks like a terminal and keeps what is written to it. */
function fakeTerminal(tty: boolean): NodeJS.WriteStream & { text: string } {
  const out = { text: '', isTTY: tty, columns: 100, write(chunk: string | Uint8Array): boolean { out.text += chunk.toString(); return true; } };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

/** Runs the whole fault suite against one service. */
export function httpFaultSuite(target: HttpFaultTarget): void {
  const { service } = target;
  const lab = useLab({ services: [service] });
  const record = faultRecorder(service);
  const sim = (): LabSim => lab.current.sims.get(service) as LabSim;
  const env = (): Record<string, string> => ({ ...lab.current.env });
  let n = 0;
  const clearFaults = (): void => {
    Object.assign(sim().faults, { latencyMs: 0, hangNext: 0, resetNext: 0, resetMidBodyNext: 0, badJsonNext: 0, failNext: undefined, htmlErrorNext: undefined, only: undefined });
  };
  /** Runs `args`, returning the result and the requests it caused. */
  const run = async (args: string[], extraEnv: Record<string, string> = {}): Promise<{ r: CliResult; log: LoggedRequest[]; ms: number }> => {
    const before = sim().requests.length;
    const started = Date.now();
    const r = await runCli(args, { ...env(), ...extraEnv });
    return { r, log: sim().requests.slice(before), ms: Date.now() - started };
  };
  const cell = (fault: Fault, outcome: string): void => record({ column: service, fault, outcome: cellText(outcome) });
  afterAll(() => closeAllAgents());

  describe(`${service} under faults`, () => {
    it('answers correctly without a fault (and has its session cached)', async () => {
      const { r } = await run(target.read.args);
      expect(r.code, r.stderr).toBe(0);
      target.read.check(r.stdout);
    });

    it('no answer past the timeout: exit 4, one line naming the service and the timeout; a mutation is not retried', async () => {
      const section = sim().configSection;
      section.timeout_seconds = 1;
      lab.current.writeConfig();
      try {
        sim().faults.only = { method: target.read.method, path: target.read.path };
        sim().faults.hangNext = 1;
        const read = await run(target.read.args);
        expect(read.r.code).toBe(4);
        expect(read.r.stderr.trim()).toMatch(new RegExp(`^homelab: ${service}: ${target.read.method} \\S+ timed out after 1 s$`));
        // A correctness bound (a request that ignored its deadline would take the default 15 s), not a benchmark.
        expect(read.ms).toBeLessThan(1000 + 8000);
        let outcome = `${summary(read.r)} · within the deadline`;
        if (target.mutation) {
          const m = target.mutation(++n);
          sim().faults.only = { method: m.method, path: m.path };
          sim().faults.hangNext = 1;
          const write = await run(m.args);
          expect(write.r.code).toBe(4);
          // It reached the server, which may have done it: not "timed out" as if nothing happened.
          expect(firstLine(write.r)).toMatch(new RegExp(`^homelab: ${service}: no answer to ${m.method} \\S+ within 1 s: it may have been applied; check before retrying$`));
          expect(matching(write.log, m)).toHaveLength(1);
          outcome += `; mutation sent once · ${quote(write.r, 140)}`;
        }
        record({ column: service, fault: 'timeout', outcome: cellText(outcome, 320) });
      } finally {
        clearFaults();
        delete section.timeout_seconds;
        lab.current.writeConfig();
      }
    });

    it('connection refused: exit 4', async () => {
      const section = sim().configSection;
      const url = section.url as string;
      section.url = url.replace(/:\d+$/, `:${await closedPort()}`);
      lab.current.writeConfig();
      try {
        const { r } = await run(target.read.args);
        expect(r.code).toBe(4);
        expect(firstLine(r)).toMatch(new RegExp(`^homelab: ${service}: .*(ECONNREFUSED|cannot reach)`));
        expect(r.stderr).not.toMatch(/\n\s+at /);
        cell('refused', summary(r));
      } finally {
        section.url = url;
        lab.current.writeConfig();
      }
    });

    it('connection reset mid-body: a read is retried with backoff; a mutation is never retried (exit 4)', async () => {
      try {
        sim().faults.only = { method: target.read.method, path: target.read.path };
        sim().faults.resetMidBodyNext = 1;
        const once = await run(target.read.args);
        expect(once.r.code, once.r.stderr).toBe(0);
        target.read.check(once.r.stdout);
        expect(matching(once.log, target.read)).toHaveLength(2);

        sim().faults.resetMidBodyNext = 100;
        const always = await run(target.read.args);
        expect(always.r.code).toBe(4);
        expect(firstLine(always.r)).toMatch(new RegExp(`^homelab: ${service}: `));
        expect(matching(always.log, target.read)).toHaveLength(3);
        let outcome = `read: one reset → retried, exit 0; every answer cut → exit ${always.r.code} after 3 attempts`;
        if (target.mutation) {
          const m = target.mutation(++n);
          sim().faults.only = { method: m.method, path: m.path };
          sim().faults.resetMidBodyNext = 1;
          const write = await run(m.args);
          expect(write.r.code).toBe(4);
          expect(firstLine(write.r)).toMatch(new RegExp(`^homelab: ${service}: no answer to ${m.method} \\S+ \\(ECONNRESET\\): it may have been applied; check before retrying$`));
          expect(matching(write.log, m)).toHaveLength(1);
          outcome += ` · ${quote(always.r)}; mutation: exit 4, sent once · ${quote(write.r, 140)}`;
        } else outcome += ` · ${quote(always.r)}; no mutating command`;
        record({ column: service, fault: 'reset', outcome: cellText(outcome, 320) });
      } finally {
        clearFaults();
      }
    });

    it('5xx with an HTML body: exit 1, the status and a short excerpt, no HTML dump', async () => {
      try {
        sim().faults.only = { method: target.read.method, path: target.read.path };
        sim().faults.htmlErrorNext = { count: 100, status: 502 };
        const read = await run(target.read.args);
        expect(read.r.code).toBe(1);
        expect(firstLine(read.r)).toMatch(new RegExp(`^homelab: ${service}: .*HTTP 502 Bad Gateway: 502 Bad Gateway · nginx/1\\.24\\.0`));
        expect(read.r.stderr).not.toMatch(/[<>]/);
        expect(read.r.stderr.length).toBeLessThan(400);
        let outcome = summary(read.r);
        if (target.mutation) {
          const m = target.mutation(++n);
          sim().faults.only = { method: m.method, path: m.path };
          sim().faults.htmlErrorNext = { count: 1, status: 502 };
          const write = await run(m.args);
          expect(write.r.code).toBe(1);
          expect(write.r.stderr).toContain('HTTP 502 Bad Gateway');
          expect(matching(write.log, m)).toHaveLength(1);
          outcome += '; mutation sent once';
        }
        cell('html-5xx', outcome);
      } finally {
        clearFaults();
      }
    });

    it('malformed or truncated JSON: exit 1, "unexpected answer from <service>"', async () => {
      try {
        sim().faults.only = { method: target.read.method, path: target.read.path };
        sim().faults.badJsonNext = 1;
        const { r } = await run(target.read.args);
        expect(r.code).toBe(1);
        expect(firstLine(r)).toMatch(new RegExp(`^homelab: unexpected answer from ${service}: `));
        expect(r.stdout).toBe('');
        cell('bad-json', summary(r));
      } finally {
        clearFaults();
      }
    });

    it('token expired or rotated mid-session: re-authenticates once where the service allows it, else exit 5', async () => {
      const outcomes: string[] = [];
      for (const scenario of target.tokens) {
        await scenario.prepare?.(lab.current);
        const warm = await run(target.read.args);
        expect(warm.r.code, warm.r.stderr).toBe(0);
        const restore = await scenario.expire(lab.current);
        try {
          const read = await run(target.read.args);
          if (scenario.outcome === 'refused') {
            expect(read.r.code).toBe(5);
            expect(firstLine(read.r)).toMatch(new RegExp(`^homelab: ${service}: `));
            expect(matching(read.log, target.read)).toHaveLength(1);
          } else {
            expect(read.r.code, read.r.stderr).toBe(0);
            target.read.check(read.r.stdout);
            expect(matching(read.log, scenario.login as FaultCommand)).toHaveLength(1);
          }
          let outcome = `${scenario.label}: ${scenario.outcome === 'refused' ? summary(read.r) : 'one new login, exit 0'}`;
          if (target.mutation) {
            if (scenario.outcome === 'reauth') {
              restore();
              await run(target.read.args);
              await scenario.expire(lab.current);
            }
            const m = target.mutation(++n);
            const write = await run(m.args);
            if (scenario.outcome === 'refused') {
              expect(write.r.code).toBe(5);
              // Refused at its first request (a lookup before the mutation, or the mutation itself), never retried.
              expect(matching(write.log, m).length).toBeLessThanOrEqual(1);
              expect(accepted(write.log, m)).toBe(0);
            } else {
              expect(write.r.code, write.r.stderr).toBe(0);
              expect(matching(write.log, scenario.login as FaultCommand)).toHaveLength(1);
              expect(accepted(write.log, m)).toBe(1);
            }
            outcome += scenario.outcome === 'refused' ? '; mutation refused, not retried' : '; mutation done once';
          }
          outcomes.push(outcome);
        } finally {
          restore();
        }
      }
      cell('token-expired', outcomes.join('; '));
    });

    it('TLS certificate not matching the pin: exit 4, refused before any request, both fingerprints shown', async () => {
      const own = sim().fingerprint ? undefined : await startLab({ services: [service], tls: true, taskDurationMs: 300 });
      const tlsLab = own ?? lab.current;
      const tlsSim = tlsLab.sims.get(service) as LabSim;
      try {
        const pinned = tlsSim.fingerprint as string;
        const ok = await runCli(target.read.args, { ...tlsLab.env });
        expect(ok.code, ok.stderr).toBe(0);
        const other = await tlsSim.swapCertificate(true);
        const before = tlsSim.requests.length;
        const r = await runCli(target.read.args, { ...tlsLab.env });
        expect(r.code).toBe(4);
        expect(firstLine(r)).toContain(`homelab: ${service}: TLS certificate fingerprint ${other} does not match the pinned ${pinned}`);
        expect(tlsSim.requests.length).toBe(before);
        cell('tls-mismatch', `exit 4 · both fingerprints shown · 0 requests reached the server${own ? ' (served over https for this test)' : ''}`);
      } finally {
        await tlsSim.swapCertificate(false);
        await own?.close();
      }
    });

    it('slow server (every answer 2 s): still correct, progress shown on a TTY', async () => {
      const { main } = await import('../../src/surfaces/cli/main.js');
      sim().faults.latencyMs = 2000;
      try {
        const stdout = fakeTerminal(false);
        const stderr = fakeTerminal(true);
        const code = await main(target.read.args, 'test', { stdout, stderr, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdinIsTTY: false });
        expect(code, stderr.text).toBe(0);
        target.read.check(stdout.text);
        expect(stderr.text).toContain(`waiting for ${service} (`);
        cell('slow', `exit 0, correct answer · spinner "waiting for ${service} (…)…" on the TTY`);
      } finally {
        clearFaults();
      }
    });
  });
}
