/**
 * @module services/general/doctor/section-checks
 * The `watch:` and `check:` sections judged by the schemas `watch` and `check` load them
 * with (a typo'd key, a value out of range): a failed config check (exit 3) naming the key,
 * as those commands would refuse the file. Sections the config does not have are not listed.
 */
import type { HomelabConfig } from '../../../core/config.js';
import { failed, type DoctorCheck } from './check.js';

/** One check per settings section present that its command would refuse; none when all load. */
export async function settingsSectionChecks(config: HomelabConfig): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const sections: { key: 'watch' | 'check'; load: () => Promise<unknown> }[] = [
    { key: 'watch', load: async () => (await import('../../../watch/config.js')).watchConfig(config) },
    { key: 'check', load: async () => (await import('../../hub/check-config.js')).checkConfig(config) },
  ];
  for (const section of sections) {
    if (config[section.key] === undefined) continue;
    try {
      await section.load();
    } catch (err) {
      out.push(failed('config', section.key, err, `fix ${section.key} in ${config.path}`));
    }
  }
  return out;
}
