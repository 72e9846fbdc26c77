/**
 * `homelab serve` from the built CLI bundle (dist/, CommonJS, with hono and
 * @hono/node-server required from node_modules): it starts, says where, serves the
 * overview over the lab and stops cleanly on SIGTERM (after a HEAD on its event stream too); `serve passwd` reads a password
 * from stdin and stores only its hash; from then on the dashboard asks for a login, one
 * already running too (within a second); `--host [::1]` serves IPv6 loopback; a
 * non-loopback host without a login is refused with one line and exit 3; a login-free
 * start that may change the lab warns in one line; a bad --trust-proxy, --port or --refresh
 * is exit 2 naming the flag; a port in use is exit 1 in one line with what to do; an
 * address it cannot listen on (a link-local one without its interface) is exit 2 with a
 * hint, and one with its interface (`::1%lo`) is served, written `%25` in its URL.
 */
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });

/** Starts `homelab serve` and resolves with its URL, once it says it. */
function serve(args: string[], env: Record<string, string>): Promise<{ url: string; stop(): Promise<{ code: number | null; stderr: string }> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: { ...cliEnv('/tmp'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const url = /at (http:\/\/(?:127\.0\.0\.1|\[::1(?:%25\w+)?\]):\d+)\//.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop: async () => { child.kill('SIGTERM'); return { code: await closed, stderr }; } });
      }
    });
    child.on('error', reject);
    void closed.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

describe('homelab serve (built CLI)', () => {
  it('serves the overview over the lab, read-only, and stops on SIGTERM', async () => {
    const server = await serve([], lab.current.env);
    try {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('data-service="pve" data-state="up"');
      expect(html).toContain('read-only');
      // The page's own text survives the bundle (non-ASCII in the h`…` templates, decoded as UTF-8).
      expect(html).toContain('<title>Overview · homelab</title>');
      expect(html).not.toContain('Â');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const script = await fetch(`${server.url}/assets/app.js`);
      expect(script.headers.get('content-type')).toContain('javascript');
      expect(await script.text()).toContain('EventSource');
      // A HEAD on the event stream starts none: it once kept SIGTERM from stopping the server.
      expect((await fetch(`${server.url}/events`, { method: 'HEAD' })).headers.get('content-type')).toContain('text/event-stream');
    } finally {
      const { code, stderr } = await server.stop();
      expect(code).toBe(0);
      expect(stderr).toContain('no sign-in: loopback only');
      expect(stderr).not.toContain('warning');
    }
  });

  it('warns in one line when it may change the lab without a sign-in', async () => {
    const server = await serve(['--allow', 'danger'], lab.current.env);
    const { code, stderr } = await server.stop();
    expect(code).toBe(0);
    expect(stderr.split('\n')).toContain('homelab serve: warning: --allow danger without a sign-in: any program on this machine can change or destroy the lab through the dashboard (homelab serve passwd sets a login)');
  });

  it('serve passwd with nothing on stdin says no password was given (exit 2) and writes no file', async () => {
    const env = { ...lab.current.env };
    for (const input of ['', '\n']) {
      const r = await runCli(['serve', 'passwd', '--user', 'bob'], env, { input });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no password given: the first line of stdin is empty; nothing was changed');
    }
    expect(existsSync(join(env.HOMELAB_CONFIG_HOME, 'web', 'passwords'))).toBe(false);
  });

  it('serve passwd stores a scrypt hash from stdin; the dashboard then asks everyone to sign in', async () => {
    const env = { ...lab.current.env };
    const set = await runCli(['serve', 'passwd', '--user', 'alice'], env, { input: 'a long password\n' });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Password of alice set in');
    expect(set.stdout + set.stderr).not.toContain('a long password');
    const file = join(env.HOMELAB_CONFIG_HOME, 'web', 'passwords');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^alice:scrypt\$/);
    const server = await serve([], env);
    try {
      const res = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login');
    } finally {
      const { code, stderr } = await server.stop();
      expect(code).toBe(0);
      expect(stderr).toContain('sign-in required (1 user');
    }
  });

  it('a dashboard already running asks for a sign-in once serve passwd sets a login, and its login-free session ends', async () => {
    const env = { ...lab.current.env };
    rmSync(join(env.HOMELAB_CONFIG_HOME, 'web', 'passwords'), { force: true });
    const server = await serve([], env);
    try {
      const open = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(open.status).toBe(200);
      const cookie = (open.headers.getSetCookie().find((c) => c.startsWith('homelab_session=')) ?? '').split(';')[0] as string;
      expect(cookie).not.toBe('');
      const set = await runCli(['serve', 'passwd', '--user', 'alice'], env, { input: 'a long password\n' });
      expect(set.code).toBe(0);
      expect(set.stdout).toMatch(/^Password of alice set in .*\. From now on the dashboard asks everyone to sign in, a running one too \(within a second\)\.\n$/);
      // It looks at the file once a second: within a few, the old session and a new visitor are both sent to sign in.
      let answer = 0;
      for (let i = 0; i < 50 && answer !== 303; i++) {
        answer = (await fetch(`${server.url}/`, { redirect: 'manual', headers: { cookie } })).status;
        if (answer !== 303) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(answer).toBe(303);
      const stranger = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(stranger.status).toBe(303);
      expect(stranger.headers.get('location')).toBe('/login');
    } finally {
      const { code, stderr } = await server.stop();
      expect(code).toBe(0);
      expect(stderr).toContain('homelab serve: the password file changed: sign-in required (1 user)');
    }
  });

  it('serves on [::1] (brackets or not), says where in brackets, and refuses brackets around anything else (exit 2)', async () => {
    const env = { ...lab.current.env };
    for (const host of ['[::1]', '::1']) {
      const server = await serve(['--host', host], env);
      try {
        expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      } finally {
        expect((await server.stop()).code).toBe(0);
      }
    }
    const bad = await runCli(['serve', '--host', '[127.0.0.1]'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('homelab: --host [127.0.0.1]: brackets hold an IPv6 address only');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '::1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const busy = await runCli(['serve', '--host', '[::1]', '--port', String(port)], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr.split('\n')[0]).toBe(`homelab: port ${port} is in use on [::1]`);
      expect(busy.stderr).not.toMatch(/getaddrinfo|EADDRINUSE|\n\s+at /);
    } finally {
      holder.close();
    }
  });

  it('refuses a non-loopback host without a login in one line (exit 3), and a bad --allow (exit 2)', async () => {
    const env = { ...lab.current.env, HOMELAB_CONFIG_HOME: join(lab.current.dir, 'config') };
    const other = { ...env, HOMELAB_CONFIG_HOME: join(lab.current.dir, 'no-login-config') };
    const refused = await runCli(['serve', '--host', '0.0.0.0'], other);
    expect(refused.code).toBe(3);
    expect(refused.stderr.split('\n')[0]).toBe('homelab: --host 0.0.0.0 is not a loopback address, and no login is configured');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const bad = await runCli(['serve', '--allow', 'everything'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--allow must be change or danger');
    // A bad --port or --refresh names the flag and what it takes.
    const port = await runCli(['serve', '--port', '99999'], env);
    expect(port.code).toBe(2);
    expect(port.stderr.split('\n')[0]).toBe('homelab: --port must be a port number from 1 to 65535 (0 picks a free one)');
    const refresh = await runCli(['serve', '--refresh', 'xyz'], env);
    expect(refresh.code).toBe(2);
    expect(refresh.stderr.split('\n')[0]).toBe('homelab: --refresh must be a duration like 30s, 5m or 1h, not "xyz"');
    const proxy = await runCli(['serve', '--trust-proxy', '10.5.0.2,10.5.0.0/33'], env);
    expect(proxy.code).toBe(2);
    expect(proxy.stderr.split('\n')[0]).toBe('homelab: --trust-proxy: "10.5.0.0/33" is not an address or CIDR range');
  });

  it('says a port in use in one line with what to do (exit 1)', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const busy = await runCli(['serve', '--port', String(port)], lab.current.env);
      expect(busy.code).toBe(1);
      expect(busy.stderr.split('\n').slice(0, 2)).toEqual([`homelab: port ${port} is in use on 127.0.0.1`, '  pick another with --port (or stop what listens there)']);
      expect(busy.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      holder.close();
    }
  });

  it('with a login, an address it cannot listen on is a bad --host (exit 2), and a link-local address is served with its interface', async () => {
    const env = { ...lab.current.env };
    expect((await runCli(['serve', 'passwd', '--user', 'alice'], env, { input: 'a long password\n' })).code).toBe(0);
    try {
      // fe80::1 without an interface: the kernel refuses it (EINVAL); nothing is sent anywhere.
      const linkLocal = await runCli(['serve', '--host', 'fe80::1', '--port', '0'], env);
      expect(linkLocal.code).toBe(2);
      expect(linkLocal.stderr.split('\n').slice(0, 2)).toEqual(['homelab: --host [fe80::1] is not an address this machine can listen on', '  a link-local address needs its interface: --host fe80::1%eth0 (ip -br addr lists them)']);
      expect(linkLocal.stderr).not.toMatch(/EINVAL|\n\s+at /);
      // An address with its interface (a zone) is listened on as given and written %25 in the URL.
      const server = await serve(['--host', '::1%lo'], env);
      try {
        expect(server.url).toMatch(/^http:\/\/\[::1%25lo\]:\d+$/);
        const port = new URL(server.url.replace('%25lo', '')).port;
        expect((await fetch(`http://[::1]:${port}/healthz`)).status).toBe(200);
      } finally {
        expect((await server.stop()).code).toBe(0);
      }
    } finally {
      rmSync(join(env.HOMELAB_CONFIG_HOME, 'web', 'passwords'), { force: true });
    }
  });
});
