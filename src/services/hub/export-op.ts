/**
 * @module services/hub/export-op
 * `homelab export [file|-]` (read): the live lab as a starting lab.yaml (see lab-export):
 * what homelab manages, then what it could adopt, commented out. Without a file, or with
 * `-`, the text is the output. Writing a file is for the command line only, and never
 * replaces one unless `--force`: a chat user or an agent gets the text, and can never make
 * the hub write a file.
 *
 * The output (the text, `--json`) is redacted as all output is: a monitor URL's credentials
 * read `https://***@host/`, which `plan` takes as "keep the monitor's URL as it is". A file
 * holds them in full, with mode 0600. A file whose folder does not exist is refused up front,
 * naming the folder (nothing is read, nothing is created: a mistyped path makes no folders);
 * so is a path that names a directory (or anything but a file), which --force cannot replace.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, OperationError, UsageError } from '../../core/errors.js';
import { fileErrorWords } from '../../core/file-error.js';
import { mapLimit } from '../../core/map-limit.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { text } from '../../core/render.js';
import { shellWord } from '../../core/shell-word.js';
import { readMarked } from './desired-plan.js';
import { certificateNames, coveringCertificate } from './expose-live.js';
import { exposeSettings, exposeZone, type ExposeSettings } from './expose-settings.js';
import { exportLab, type LabExport } from './lab-export.js';
import { labFilePath } from './lab-file.js';

/** JSON shape of `homelab export`. */
export interface ExportResult extends LabExport {
  /** The file written, or null when the text is the output. */
  file: string | null;
}

/** The refusal of a file whose folder does not exist (naming the folder, with the fix), or undefined when it exists. */
function missingFolder(path: string, shown: string): UsageError | undefined {
  const folder = dirname(path);
  if (existsSync(folder)) return undefined;
  const quoted = shellWord(folder);
  return new UsageError(`cannot write ${shown}: the folder ${folder} does not exist; nothing was written`,
    `create it (mkdir -p ${quoted}), or export to another file (or - for the output)`);
}

/**
 * The refusal of a path that names something other than a file (a directory, a device: through
 * symlinks), which no export can write or replace, --force or not; undefined when it is a
 * regular file or nothing is there.
 */
function notAFile(path: string, shown: string): UsageError | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (st.isFile()) return undefined;
  return st.isDirectory()
    ? new UsageError(`${shown} is a directory: give a file path; nothing was written`, `e.g. ${shellWord(join(shown, 'lab.yaml'))}, or - for the output`)
    : new UsageError(`${shown} is not a regular file: give a file path; nothing was written`, 'or - for the output');
}

/**
 * Writes `yaml` to `path` (a new file unless `force`), readable by its owner only (0600: a
 * monitor URL in it may hold credentials, written in full); a UsageError when it exists or
 * its folder does not, an OperationError when it cannot be written.
 */
function writeLab(path: string, shown: string, yaml: string, force: boolean): void {
  // --force writes a new 0600 file beside the old one (beside a symlink's target: the link
  // stays) and renames it over: the old text stays whole until the new one is, and its mode
  // (maybe readable by others) is not kept.
  const real = force ? realTarget(path) : path;
  const target = force ? `${real}.${randomBytes(6).toString('hex')}.tmp` : path;
  let created = false;
  try {
    const fd = openSync(target, 'wx', 0o600);
    created = true;
    try {
      fchmodSync(fd, 0o600);
      writeFileSync(fd, yaml);
    } finally {
      closeSync(fd);
    }
    if (force) renameSync(target, real);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    // A file this run created and could not fill (a full disk) is removed: a part of a lab file
    // would plan away every app past the cut, and would stand in the way of the next export.
    if (created) rmSync(target, { force: true });
    // The folder went away after the check before reading the lab.
    if (code === 'ENOENT') throw missingFolder(target, shown) ?? cannotWrite(err, shown, code);
    if (!force && code === 'EEXIST') throw new UsageError(`${shown} exists; nothing was written`, 'add --force to replace it, or export to another file (or - for the output)');
    throw cannotWrite(err, shown, code);
  }
}

/** The failure to write the lab file `shown`, in words (`no space left on the device`) when the code has some; nothing is left of it. */
function cannotWrite(err: unknown, shown: string, code: string): OperationError {
  const words = fileErrorWords(err, shown, 'write');
  return words ? new OperationError(`${words.message}; nothing was written`, words.hint) : new OperationError(`cannot write ${shown} (${code}); nothing was written`);
}

/** The file `path` names, through symlinks; `path` itself when it does not exist yet. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The certificate covering each app's name now, for `cert: auto`. */
async function coveringCerts(ctx: OpContext, apps: string[], zone: string): Promise<Map<string, number | null>> {
  const ids = await mapLimit(apps, 8, async (app) => (await coveringCertificate(ctx, `${app}.${zone}`))?.id ?? null);
  return new Map(apps.map((app, i) => [app, ids[i] ?? null]));
}

/** The expose settings, to tell a record that points at the proxy from one that does not; null when the proxy is not configured. */
function proxySettings(ctx: OpContext): ExposeSettings | null {
  try {
    return exposeSettings(ctx.config);
  } catch (err) {
    if (err instanceof ConfigError) return null;
    throw err;
  }
}

/** `homelab export`. */
export const exportOperation = defineOperation({
  id: 'export',
  summary: 'Write the live lab as a starting lab.yaml: what homelab manages, plus what it could adopt (commented)',
  description: 'The lab.yaml is the output. On the command line a file (not -) is written instead, never replacing one unless --force. '
    + 'Planned as the lab file, it shows no changes, but for a disabled proxy host or a paused monitor of an app (apply turns them back on).',
  args: ['file'],
  input: z.object({
    file: z.string().min(1).max(4096).optional().describe('the file to write (command line only; plan and apply read $HOMELAB_CONFIG_HOME/homelab/lab.yaml unless given one); - or nothing: the output'),
    force: z.boolean().default(false).describe('replace the file if it exists'),
  }),
  risk: 'read',
  timeoutMs: 120_000,
  examples: ['export', 'export ./lab.yaml', 'export - > lab.yaml'],
  cliOnlyInputs: ['file', 'force'],
  async run(ctx, input): Promise<ExportResult> {
    const toFile = input.file !== undefined && input.file !== '-';
    if (toFile && ctx.actor.surface !== 'cli') {
      throw new UsageError(`export writes a file on the command line only; on ${ctx.actor.surface} it answers with the lab.yaml text`, 'leave out the file');
    }
    const path = toFile ? labFilePath(ctx.env, input.file, ctx.config.context) : undefined;
    const missing = path === undefined ? undefined : missingFolder(path, input.file as string) ?? notAFile(path, input.file as string);
    if (missing) throw missing;
    const zone = exposeZone(ctx.config);
    ctx.progress(`reading what homelab manages in ${zone}`);
    const { live, unconfigured } = await readMarked(ctx, zone);
    const marked = [...new Set([...live.records, ...live.monitors].map((o) => o.app).filter((a): a is string => a !== null))].sort();
    const proxyMissing = unconfigured.get('proxy');
    // Without NPM no app can be written (its proxy host is its target), and a file without them would plan their objects away.
    if (proxyMissing && marked.length) {
      throw new ConfigError(`homelab marks objects of app${marked.length === 1 ? '' : 's'} ${marked.join(', ')}, but NPM is not configured (services.proxy): `
        + 'their proxy hosts (what an app forwards to) cannot be read; no lab file was written', proxyMissing.hint);
    }
    // The names of proxy hosts with a certificate, homelab's (by app) and the others (by their name in the zone).
    const withCert = [...new Set(live.hosts.filter((h) => h.certificate).flatMap((h) => (h.app ? [h.app]
      : h.domains.map((d) => d.replace(/\.$/, '').toLowerCase()).filter((d) => d.endsWith(`.${zone}`)).map((d) => d.slice(0, -zone.length - 1)).filter((n) => !n.includes('.')))))];
    const exported = exportLab(live, await coveringCerts(ctx, withCert, zone), proxySettings(ctx), {
      certificates: live.hosts.some((h) => h.certificate) ? await certificateNames(ctx) : new Map(),
      unread: (['proxy', 'kuma'] as const).filter((service) => unconfigured.has(service)),
    });
    if (path === undefined) return { ...exported, file: null };
    writeLab(path, input.file as string, exported.yaml, input.force);
    return { ...exported, file: path };
  },
  render: (r) => {
    if (r.file === null) return [text(r.yaml.trimEnd())];
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    const adopt = r.adoptable.apps.length + r.adoptable.records;
    return [text(`wrote ${r.file}: ${plural(r.apps.length, 'app')}, ${plural(r.records, 'record')} homelab manages${adopt ? `; ${plural(r.adoptable.apps.length, 'app')} and ${plural(r.adoptable.records, 'record')} it could adopt, commented out` : ''}`, 'ok'),
      ...(r.unread.includes('kuma') && r.apps.length ? [text('Uptime Kuma is not configured (services.kuma): monitors were not read, and every app is written with monitor: false (see the comment in the file)', 'warn')] : []),
      ...(r.incomplete.length ? [text(`no proxy host for ${r.incomplete.join(', ')}: see the comment in the file`, 'warn')] : []),
      ...(r.unexpressed.length ? [text(`lab.yaml cannot say everything about ${[...new Set(r.unexpressed.map((u) => u.split(':')[0]))].join(', ')}: plan on the file still changes ${r.unexpressed.length === 1 ? 'one thing' : `${r.unexpressed.length} things`} (see the comment in the file)`, 'warn')] : [])];
  },
});
