/**
 * @module services/hub/expose-monitor
 * The Uptime Kuma part of an app's plan (services/hub/expose-plan): the URL its monitor
 * checks, the monitor that already checks it (a duplicate under another name is a conflict,
 * whatever the scheme), a URL that holds the redaction placeholder (kept from the monitor
 * that has it), and the steps: add, edit the URL, resume a paused one.
 */
import { UsageError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { PlanStep } from '../../orchestration/plan.js';
import type { LiveMonitor, LiveState } from './expose-live.js';
import type { AppSpec } from './expose-spec.js';

/** Who an object at the app's name belongs to, as a conflict says it. */
export const owner = (app: string | null): string => (app ? `homelab's for app ${app}` : 'not created by homelab');

/** The URL an app's monitor checks: `monitorUrl`, else `https://<fqdn>` (`http://` without a certificate). */
export function monitorUrlOf(spec: Pick<AppSpec, 'cert' | 'monitorUrl'>, fqdn: string): string {
  return spec.monitorUrl ?? `${spec.cert === 'none' ? 'http' : 'https'}://${fqdn}`;
}

/** What a monitor's URL checks, for finding duplicates: host, port and path, whatever the scheme (null: not an http(s) URL). */
export function checkedUrl(target: string): string | null {
  try {
    const u = new URL(target);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.hostname.replace(/\.$/, '')}${u.port ? `:${u.port}` : ''}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return null;
  }
}

/** A URL's scheme, its userinfo (without the `@`; undefined when it has none) and the rest. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^/?#@]*)@)?(.*)$/is;

/**
 * Whether a monitor URL holds the placeholder homelab's output puts where a secret was
 * (`https://***@host/`, `?token=***`), or a `***` written in place of a part of the
 * userinfo (`https://user:***@host/`, `https://***:***@host/`): a lab.yaml written by
 * `export -` (redacted), or edited to hide a password, says so.
 */
export function holdsRedaction(url: string): boolean {
  const userinfo = USERINFO.exec(url)?.[2];
  return (userinfo !== undefined && userinfo.split(':').includes('***')) || /[?&][^=&#]+=\*\*\*(?:[&#]|$)/.test(url);
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `live` is a URL that `url` (holding `***` placeholders) stands for: the same URL
 * where each `***` is any text: the whole userinfo (`***@`), its user or its password
 * (`user:***@`), a query value (`?token=***`). The parts written out must be the same.
 */
function standsFor(url: string, live: string): boolean {
  const m = USERINFO.exec(url);
  if (!m) return false;
  const [, scheme = '', userinfo, rest = ''] = m;
  const query = (text: string): string => escaped(text).replace(/([?&][^=&#]+=)\\\*\\\*\\\*(?=[&#]|$)/g, '$1[^&#]*');
  const user = userinfo === undefined ? '' : userinfo === '***' ? '[^/?#@]*@'
    : `${userinfo.split(':').map((part) => (part === '***' ? '[^:/?#@]*' : escaped(part))).join(':')}@`;
  return new RegExp(`^${escaped(scheme)}${user}${query(rest)}$`, 's').test(live);
}

/**
 * A monitor URL with `***` that no monitor of the app fills (exit 2; in lab.yaml, a lab-file
 * error naming the line and `monitor_url`).
 */
export class UnfilledMonitorUrlError extends UsageError {
  constructor(message: string) {
    super(message, 'write the URL with its real credentials (homelab export <file> writes them in full, to a file only you can read)');
  }
}

/**
 * Which written part of `url` keeps it from standing for `live` (the output redacts
 * credentials, so the message names the part instead of showing the URLs).
 */
function differingPart(url: string, live: string): string {
  const [, scheme = '', userinfo, rest = ''] = USERINFO.exec(url) ?? [];
  const [, liveScheme = '', liveInfo, liveRest = ''] = USERINFO.exec(live) ?? [];
  if (scheme.toLowerCase() !== liveScheme.toLowerCase() || !standsFor(`${scheme}${rest}`, `${liveScheme}${liveRest}`)) {
    return `its scheme, host, path or query differs from the monitor's (${redact(live)})`;
  }
  if ((userinfo === undefined) !== (liveInfo === undefined)) return userinfo === undefined ? 'the monitor\'s URL has credentials and it has none' : 'it has credentials and the monitor\'s URL has none';
  const [user = '', password] = (userinfo ?? '').split(':');
  const [liveUser = '', livePassword] = (liveInfo ?? '').split(':');
  if (user !== '***' && user !== liveUser) return 'the user name differs from the monitor\'s';
  if ((password === undefined) !== (livePassword === undefined)) return password === undefined ? 'the monitor\'s URL has a password and it has none' : 'it has a password and the monitor\'s URL has none';
  return 'the password differs from the monitor\'s';
}

/**
 * The URL a monitor is to check: `url`, or, when it holds the redaction placeholder and the
 * app's monitor checks a URL it stands for (the same but where the placeholders are), that
 * monitor's own URL (the placeholder means "keep what is there": its credentials are never
 * replaced by `***`). A placeholder no monitor of the app fills is refused, naming the part
 * written that differs from the monitor's URL.
 */
function keptUrl(url: string, mine: LiveMonitor | undefined): string {
  if (!holdsRedaction(url)) return url;
  if (mine && (redact(mine.target) === url || standsFor(url, mine.target))) return mine.target;
  const why = mine ? `it cannot stand for the URL the app's monitor checks: ${differingPart(url, mine.target)}` : 'the app has no monitor whose URL it could keep';
  throw new UnfilledMonitorUrlError(`the monitor URL holds *** where homelab's output hid a secret, but ${why}`);
}

/**
 * The monitor steps of an app: add one, edit the marked one's URL (undone by editing it back),
 * resume it when paused; a monitor of the name, or one that already checks the URL, that is
 * not the app's is a conflict.
 */
export function monitorSteps(spec: AppSpec, facts: { live: LiveState }, wanted: string, key: string): { steps: PlanStep[]; conflicts: string[] } {
  const monitors = facts.live.monitors ?? [];
  const mine = monitors.find((m) => m.app === spec.name && m.type === 'http');
  const url = keptUrl(wanted, mine);
  // Another monitor of the name, or one that already checks the URL the plan would point a monitor at (a duplicate).
  const checking = mine?.target === url ? null : checkedUrl(url);
  const taken = monitors.filter((m) => m !== mine && (m.name.toLowerCase() === spec.name || (checking !== null && checkedUrl(m.target) === checking)));
  if (taken.length) {
    return { steps: [], conflicts: taken.map((m) => `Kuma monitor ${m.name} (id ${m.id}${m.name.toLowerCase() === spec.name ? '' : `, checks ${m.target}`}) is ${owner(m.app)}: left alone`) };
  }
  const describe = `Kuma HTTP monitor ${spec.name} → ${url}`;
  if (!mine) {
    return { steps: [{
      key, describe, op: 'kuma.add.http', input: { name: spec.name, url, app: spec.name }, risk: 'change',
      undo: { op: 'kuma.delete', input: { monitor: spec.name, app: spec.name }, describe: `delete Kuma monitor ${spec.name}` },
    }], conflicts: [] };
  }
  const step: PlanStep = { key, describe, op: 'kuma.edit', input: { monitor: String(mine.id), url }, risk: 'change' };
  const resume: PlanStep[] = mine.active ? [] : [{
    key: `${key}-resume`, describe: `resume Kuma monitor ${mine.name} (it is paused)`, op: 'kuma.resume', input: { monitor: String(mine.id) }, risk: 'change', state: 'update',
    undo: { op: 'kuma.pause', input: { monitor: String(mine.id) }, describe: `pause Kuma monitor ${mine.name} again` },
  }];
  if (mine.target === url) return { steps: [{ ...step, state: 'unchanged' }, ...resume], conflicts: [] };
  // What changes: the old URL, or, when the two read the same once redacted (only a secret differs), that the credentials change.
  const was = redact(mine.target) === redact(url) ? 'the credentials change' : `was ${mine.target}`;
  return { steps: [{ ...step, describe: `${describe} (${was})`, state: 'update', undo: { op: 'kuma.edit', input: { monitor: String(mine.id), url: mine.target }, describe: `restore Kuma monitor ${mine.name} → ${mine.target}` } }, ...resume], conflicts: [] };
}
