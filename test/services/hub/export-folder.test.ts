/**
 * `homelab export <file>` into a folder that does not exist: refused at once (exit 2) in one
 * line naming the folder, with the fix, before any service is asked (the lab is not read for
 * nothing) and without creating any folder. The services here are one loopback HTTP server
 * counting the requests it gets. A path that is a directory is refused the same way, with or
 * without --force (it cannot be replaced), so the hint never offers --force.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let server: Server;
let requests = 0;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((_req, res) => { requests++; res.writeHead(500).end(); });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = mkdtempSync(join(tmpdir(), 'export-folder-'));
  const config = join(home, 'config');
  mkdirSync(join(config, 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(config, 'homelab', 'config.yaml'),
    `services:\n  dns: { url: "${url}", zone: home.lan }\n  proxy: { url: "${url}", dns_name: proxy.home.lan }\n  kuma: { url: "${url}" }\n`, { mode: 0o600 });
  for (const service of ['dns', 'npm', 'kuma']) {
    mkdirSync(join(config, service), { mode: 0o700 });
    writeFileSync(join(config, service, 'credentials'), service === 'dns' ? 'DNS_TOKEN=abcdef123456\n' : service === 'npm' ? 'NPM_EMAIL=a@b.lan\nNPM_PASSWORD=secret-pass\n' : 'KUMA_API_KEY=uk1_abcdefabcdef\n', { mode: 0o600 });
  }
  env = { HOME: home, HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: join(home, 'data') };
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('export into a missing folder', () => {
  it.each([
    ['a path under a missing folder', ['missing/lab.yaml'], 'missing', false],
    ['the ~/.config path when HOMELAB_CONFIG_HOME is elsewhere', ['~/.config/homelab/lab.yaml'], '.config/homelab', false],
    ['with --force', ['missing/lab.yaml', '--force'], 'missing', false],
    ['a folder with a space, quoted in the fix', ['my labs/lab.yaml'], 'my labs', true],
  ])('%s: one line naming the folder and the fix, exit 2, nothing read or created', async (_name, args, folder, quoted) => {
    const file = args[0] as string;
    const given = file.startsWith('~/') ? file : join(home, file);
    const before = requests;
    const r = await runCli(['export', given, ...args.slice(1)], env);
    const at = join(home, folder);
    expect(r.stderr.split('\n')[0]).toBe(`homelab: cannot write ${given}: the folder ${at} does not exist; nothing was written`);
    expect(r.stderr).toContain(`create it (mkdir -p ${quoted ? `'${at}'` : at}), or export to another file (or - for the output)`);
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(requests - before).toBe(0);
    expect(existsSync(at)).toBe(false);
  });
});

describe('export onto a directory', () => {
  it.each([[[]], [['--force']]])('%j: one line saying it is a directory, with a file path to give, exit 2, nothing read', async (extra) => {
    const dir = join(home, 'labs');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const before = requests;
    const r = await runCli(['export', dir, ...extra], env);
    expect(r.stderr.split('\n')[0]).toBe(`homelab: ${dir} is a directory: give a file path; nothing was written`);
    expect(r.stderr).toContain(`e.g. ${join(dir, 'lab.yaml')}, or - for the output`);
    expect(r.stderr).not.toContain('--force');
    expect(r.code).toBe(2);
    expect(requests - before).toBe(0);
    expect(existsSync(join(dir, 'sub'))).toBe(true);
  });
});
