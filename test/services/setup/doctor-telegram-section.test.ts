/**
 * `homelab doctor` judges the `telegram:` section by the schema every Telegram command loads
 * it with: a section it refuses (a shared id in allowed_users, an id past the safe integers,
 * a typo'd key) is a failed config check, exit 3, with the schema's reason on one line,
 * where the commands themselves would exit 3 too. A section it takes passes on to the
 * credentials and the Bot API (none answers here: the port is closed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/services/setup/doctor/operation.js';
import { runCli } from '../../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'homelab-doctor-telegram-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A config home with `telegram` as config.yaml's `telegram:` section and a bot token. */
function home(name: string, telegram: string): { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string } {
  const env = { HOMELAB_CONFIG_HOME: join(root, name, 'config'), HOMELAB_DATA_HOME: join(root, name, 'data') };
  for (const [file, body] of [['homelab/config.yaml', `telegram:\n${telegram}`], ['telegram/credentials', 'TELEGRAM_BOT_TOKEN=123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n']] as const) {
    const path = join(env.HOMELAB_CONFIG_HOME, file);
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, body, { mode: 0o600 });
  }
  return env;
}

describe('doctor and the telegram section', () => {
  it.each([
    ['shared', '  api_root: "http://127.0.0.1:9"\n  owner_chat_id: 4242\n  allowed_users: [4242, 777000]\n', /telegram\.allowed_users\.1: id 777000 is Telegram's service account/],
    ['unsafe', '  api_root: "http://127.0.0.1:9"\n  allowed_users: [10000000000000000]\n', /telegram\.allowed_users\.0: Too big/],
    ['typo', '  api_root: "http://127.0.0.1:9"\n  allowed_user: [4242]\n', /telegram: Unrecognized key: "allowed_user"/],
  ])('fails the config check of a section the schema refuses (%s), exit 3, with its reason', async (name, section, reason) => {
    const env = home(name, section);
    const result = await runDoctor(env, new AbortController().signal);
    // Nothing is tried after it (the owner and users warnings judge the section's keys alone).
    const telegram = result.checks.filter((c) => c.area === 'telegram' && c.status !== 'warn');
    expect(telegram.map((c) => [c.name, c.status, c.exitCode])).toEqual([['config', 'fail', 3]]);
    expect(telegram[0]?.detail).toMatch(reason);
    expect(telegram[0]?.detail).not.toContain('\n');
    const cli = await runCli(['doctor'], env, { timeoutMs: 60_000 });
    expect(cli.code).toBe(3);
    expect(cli.stdout).toMatch(reason);
  });

  it('passes a section the schema takes on to the credentials and the Bot API', async () => {
    const env = home('good', '  api_root: "http://127.0.0.1:9"\n  owner_chat_id: 4242\n  allowed_users: [4242]\n');
    const result = await runDoctor(env, new AbortController().signal);
    const telegram = result.checks.filter((c) => c.area === 'telegram');
    expect(telegram.map((c) => c.name)).toEqual(['credentials', 'answers']);
    expect(telegram[0]?.status).toBe('pass');
  });
});
