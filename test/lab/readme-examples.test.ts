/**
 * The README's expose example and its lab.yaml example work as written in the simulated lab
 * (`homelab lab`), where a reader tries them first: the name they use is free there (the seed
 * keeps some names taken on purpose, e.g. a 404 host at wiki.home.lan, as trouble for check).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab();
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README examples in the simulated lab', () => {
  it('the headline `homelab expose` example plans without a conflict', async () => {
    const example = /^`homelab expose (\S+) (\S+)` puts an app behind the proxy/m.exec(readme);
    expect(example, 'the README shows homelab expose <name> <target>').not.toBeNull();
    const [, name, target] = example as RegExpExecArray;
    lab.current.writeConfig();
    const r = await runCli(['expose', name as string, target as string, '--dry-run'], lab.current.env, { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`DNS CNAME ${name}.home.lan`);
    // The same app is the one unexpose names.
    expect(readme).toContain(`\`homelab unexpose ${name}\` (destructive)`);
  });

  it('the lab.yaml example plans without a conflict', async () => {
    const section = readme.slice(readme.indexOf('### The lab as a file'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml, 'the README shows a lab.yaml').toBeDefined();
    const file = join(mkdtempSync(join(tmpdir(), 'readme-lab-')), 'lab.yaml');
    writeFileSync(file, yaml as string);
    lab.current.writeConfig();
    const r = await runCli(['plan', file], lab.current.env, { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lab .*: 1 app, 1 record/m);
  });
});
