/**
 * @module services/watch/service
 * `homelab watch …` operations: status, run, digest, mute, unmute, maintenance. The
 * daemon itself is `homelab watch` with no verb (a CLI command, not an operation).
 */
import type { ServiceModule } from '../../core/operation.js';
import { watchRun } from './operations-run.js';
import { watchMaintenance, watchMute, watchUnmute } from './operations-silence.js';
import { watchDigest, watchStatus } from './operations-status.js';

/** The watch service module. */
export const watchService: ServiceModule = {
  name: 'watch',
  summary: 'Alerts to Telegram: check status, dry runs, mutes and maintenance windows',
  operations: [watchStatus, watchRun, watchDigest, watchMute, watchUnmute, watchMaintenance],
};
