/**
 * What `expose` and lab.yaml refuse before anything is read or sent (as plain data): a
 * mistyped IPv4 address is not a host name, a `records:` entry written as a full name is
 * still the app's name, a monitor URL with no monitor is refused rather than dropped, and
 * a YAML alias bomb is one "not valid YAML" line (exit 3) like any other broken file.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../../../src/core/errors.js';
import { appNameSchema, newAppNameSchema } from '../../../src/core/marker.js';
import { appSpecSchema } from '../../../src/services/hub/expose-spec.js';
import { parseLab } from '../../../src/services/hub/lab-file.js';

const ZONE = 'home.lan';

function refusal(text: string): ConfigError {
  try {
    parseLab(text, ZONE, 'lab.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('the file was accepted');
}

const issue = (input: Record<string, unknown>): string | undefined => appSpecSchema.safeParse(input).error?.issues[0]?.message;

describe('a mistyped IPv4 address', () => {
  it('is refused as a target and as a dns value, and real names and addresses still pass', () => {
    for (const target of ['10.5.0.256:80', '10.5.0:80', '300.1.1.1:80', '10.5:80']) {
      expect(issue({ name: 'typo', target }), target).toMatch(/ is not a valid IPv4 address or host name/);
    }
    expect(issue({ name: 'typo', target: 'forgejo:3000', dns: '10.5.0.256' })).toMatch(/^10\.5\.0\.256 is not a valid IPv4 address or host name/);
    expect(issue({ name: 'typo', target: 'forgejo:3000', dns: '10.5.0' })).toMatch(/^10\.5\.0 is not a valid IPv4 address or host name/);
    for (const target of ['10.5.0.255:80', 'forgejo:3000', '107:3000', 'app.example.lan:8080', '[fd00::60]:3000', 'web-1.lan:80', '1and1.com:80']) {
      expect(issue({ name: 'ok', target }), target).toBeUndefined();
    }
    expect(issue({ name: 'ok', target: 'forgejo:3000', dns: 'proxy2.home.lan' })).toBeUndefined();
  });

  it('is refused in lab.yaml as an app dns value and as a CNAME value', () => {
    expect(refusal('apps:\n  typo: { target: "forgejo:3000", dns: 10.5.0.256 }\n').message)
      .toMatch(/^lab\.yaml:2: apps\.typo\.dns: 10\.5\.0\.256 is not a valid IPv4 address or host name/);
    expect(refusal('apps:\n  typo: { target: "10.5.0.256:80" }\n').message).toMatch(/^lab\.yaml:2: apps\.typo\.target: 10\.5\.0\.256 is not a valid IPv4/);
    expect(refusal('records:\n  - { name: files, type: CNAME, value: 10.5.0.256 }\n').message).toMatch(/^lab\.yaml:2: records\[0\]\.value: a CNAME needs a host name/);
  });
});

describe("an app's name in records:", () => {
  it('is the app\'s however it is written: relative, fully qualified, or with a trailing dot', () => {
    for (const name of ['pad9', 'pad9.home.lan', 'pad9.home.lan.', 'PAD9.Home.Lan']) {
      expect(refusal(`apps:\n  pad9: { target: "forgejo:3000" }\nrecords:\n  - { name: ${name}, type: TXT, value: x }\n`).message, name)
        .toMatch(/^lab\.yaml:4: records\[0\]\.name: .* in apps: the app owns the records at its name$/);
    }
    // A name below the app's is another name.
    expect(parseLab('apps:\n  pad9: { target: "forgejo:3000" }\nrecords:\n  - { name: _x.pad9.home.lan, type: TXT, value: x }\n', ZONE, 'lab.yaml').records.map((r) => r.fqdn)).toEqual(['_x.pad9.home.lan']);
  });

  it('counts a CNAME and another record at one name however the names are written', () => {
    expect(refusal('records:\n  - { name: nas, type: CNAME, value: x }\n  - { name: nas.home.lan., type: TXT, value: y }\n').message)
      .toBe('lab.yaml:3: records[1].name: nas has a CNAME (records[0]): a name with a CNAME can have no other record');
    expect(refusal('records:\n  - { name: nas, type: A, value: 10.5.0.30 }\n  - { name: nas.home.lan, type: A, value: 10.5.0.30 }\n').message)
      .toBe('lab.yaml:3: records[1]: the same record as records[0]');
  });
});

describe('a monitor URL with no monitor', () => {
  it('is refused, on expose and in lab.yaml, rather than dropped', () => {
    expect(issue({ name: 'x', target: 'forgejo:3000', monitor: false, monitorUrl: 'https://x.home.lan/' })).toMatch(/--monitor-url \(monitor_url\) and --no-monitor \(monitor: false\) cannot go together/);
    expect(issue({ name: 'x', target: 'forgejo:3000', monitorUrl: 'https://x.home.lan/' })).toBeUndefined();
    expect(refusal('apps:\n  x: { target: "forgejo:3000", monitor: false, monitor_url: "https://x.home.lan/" }\n').message)
      .toMatch(/^lab\.yaml:2: apps\.x\.monitor_url: a monitor URL with no monitor/);
  });
});

describe('a YAML alias bomb', () => {
  it('is "not valid YAML", exit 3, like any broken file', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const err = refusal(`${levels.join('\n')}\n`);
    expect(err.exitCode).toBe(ExitCode.config);
    expect(err.message).toMatch(/^lab\.yaml: not valid YAML: Excessive alias count/);
  });
});

describe('an app name made only of digits', () => {
  it('is refused by expose (its monitor would be read as a monitor id), and names with a letter pass', () => {
    expect(issue({ name: '2', target: 'forgejo:3000' })).toBe('must not be only digits: a number is read as a monitor id (e.g. app2)');
    expect(issue({ name: 'app2', target: 'forgejo:3000' })).toBeUndefined();
    expect(issue({ name: '2fa', target: 'forgejo:3000' })).toBeUndefined();
  });

  it('still names an app that has one already (unexpose 2024, --app 2024): only making one is refused', () => {
    expect(appNameSchema.safeParse('2024').data).toBe('2024');
    expect(newAppNameSchema.safeParse('2024').success).toBe(false);
  });
});
