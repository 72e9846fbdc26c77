/**
 * @module services/setup/doctor/section-checks
 * The `watch:`, `check:` and `mcp:` sections judged by the schemas `watch`, `check` and `mcp`
 * load them with (a typo'd key, a value out of range): a failed config check (exit 3) naming
 * the key, as those commands would refuse the file. Under `watch:`, each check's own section
 * (`watch.checks.<name>`) is judged too, by that check's schema, as `watch status` and
 * `watch run` judge it, and every schedule the config sets (a check's, the digest's) by croner
 * in `watch.timezone`, as the daemon does at start. Sections the config does not have are not listed.
 */
import type { HomelabConfig } from '../../../core/config.js';
import { failed, type DoctorCheck } from './check.js';

/** A section and how its command loads it: the errors it would refuse the file with (none when it loads). */
interface Section {
  key: 'watch' | 'check' | 'mcp';
  problems: () => Promise<{ name: string; error: unknown }[]>;
}

/** One check per settings section present that its command would refuse; none when all load. */
export async function settingsSectionChecks(config: HomelabConfig): Promise<DoctorCheck[]> {
  const sections: Section[] = [
    { key: 'watch', problems: () => watchProblems(config) },
    { key: 'check', problems: () => loads('check', async () => (await import('../../hub/check-config.js')).checkConfig(config)) },
    { key: 'mcp', problems: () => loads('mcp', async () => (await import('../../../core/mcp-config.js')).mcpConfig(config)) },
  ];
  const out: DoctorCheck[] = [];
  for (const section of sections) {
    if (config[section.key] === undefined) continue;
    for (const { name, error } of await section.problems()) out.push(failed('config', name, error, `fix ${name} in ${config.path}`));
  }
  return out;
}

/** The error `load` throws, under `name`; none when it loads. */
async function loads(name: string, load: () => Promise<unknown>): Promise<{ name: string; error: unknown }[]> {
  try {
    await load();
    return [];
  } catch (error) {
    return [{ name, error }];
  }
}

/** `watch:` as a whole, then each check's section with that check's schema (as `watch status` resolves them) and the schedules croner would run. */
async function watchProblems(config: HomelabConfig): Promise<{ name: string; error: unknown }[]> {
  const [{ watchConfig, checkSettings }, { allChecks }, { validateCron }] = await Promise.all([import('../../../watch/config.js'), import('../../../watch/checks/index.js'), import('../../../watch/scheduler.js')]);
  let watch: ReturnType<typeof watchConfig>;
  try {
    watch = watchConfig(config);
  } catch (error) {
    return [{ name: 'watch', error }];
  }
  const out: { name: string; error: unknown }[] = [];
  for (const check of allChecks) {
    out.push(...(await loads(`watch.checks.${check.name}`, async () => {
      const settings = checkSettings(config, watch, check.name, check.options);
      if (settings.enabled && settings.schedule !== undefined) await validateCron(settings.schedule, `watch.checks.${check.name}.schedule`, watch.timezone);
    })));
  }
  if (watch.digest.enabled) out.push(...(await loads('watch.digest', () => validateCron(watch.digest.schedule, 'watch.digest.schedule', watch.timezone))));
  return out;
}
