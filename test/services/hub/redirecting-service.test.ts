/**
 * A service that redirects is configured, not missing: exposed, unexpose and apply against
 * a proxy URL answered with a 301 refuse (exit 3, naming the redirect) and never plan to
 * delete the app's other objects as if the proxy held nothing of homelab's. The CLI against
 * the lab's simulators and a redirecting loopback server, over real sockets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, hostFor, monitorNamed, mutations } = useHubLab();
let moved: SimServer;

beforeAll(async () => {
  moved = await startSimServer({
    name: 'moved',
    handle: ({ res }) => void res.writeHead(301, 'Moved Permanently', { location: 'http://127.0.0.2:81/api/' }).end(),
  });
});
afterAll(async () => {
  await moved.close();
});

/** Points services.proxy.url at the redirecting server while `body` runs. */
async function withRedirectingProxy(body: () => Promise<void>): Promise<void> {
  const path = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
  const config = parse(readFileSync(path, 'utf8')) as { services: Record<string, Record<string, unknown>> };
  config.services.proxy = { ...config.services.proxy, url: moved.url };
  writeFileSync(path, stringify(config));
  try {
    await body();
  } finally {
    lab.current.writeConfig();
  }
}

describe('a proxy URL that redirects', () => {
  it('is a failure, not "not configured": exposed exits 3, unexpose and apply refuse and delete nothing', async () => {
    await runCliJson(['expose', 'rd1', '10.5.0.41:3000', '--yes'], env());
    const file = join(lab.current.dir, 'rd1.yaml');
    writeFileSync(file, 'apps: {}\n');
    await withRedirectingProxy(async () => {
      const before = mutations().length;
      const exposed = await runCli(['exposed'], env());
      expect(exposed.code, exposed.stdout).toBe(3);
      expect(exposed.stdout + exposed.stderr).toContain('redirected to http://127.0.0.2:81 (HTTP 301): set services.proxy.url to where it redirects');

      const dry = await runCli(['unexpose', 'rd1', '--dry-run'], env());
      expect(dry.code, dry.stdout).toBe(3);
      expect(dry.stderr.split('\n')[0]).toBe('homelab: proxy: redirected to http://127.0.0.2:81 (HTTP 301): set services.proxy.url to where it redirects');
      expect(dry.stdout).not.toMatch(/delete|not configured/);
      const run = await runCli(['unexpose', 'rd1', '--yes'], env());
      expect(run.code).toBe(3);

      const apply = await runCli(['apply', file, '--yes'], env());
      expect(apply.code, apply.stdout).toBe(3);
      expect(apply.stdout).not.toMatch(/not configured/);
      expect(mutations().length).toBe(before);
    });
    expect(hostFor('rd1.home.lan')).toBeDefined();
    expect(monitorNamed('rd1')).toBeDefined();
    expect((await runCli(['unexpose', 'rd1', '--yes'], env())).code).toBe(0);
  });
});
