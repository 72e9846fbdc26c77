/**
 * @module services/beszel/service
 * Beszel: systems, one system in detail, alerts.
 */
import type { ServiceModule } from '../../core/operation.js';
import { beszelAlerts } from './operations-alerts.js';
import { beszelHistory } from './operations-history.js';
import { beszelSystem } from './operations-system.js';
import { beszelSystems } from './operations-systems.js';

/** The beszel service module. */
export const beszelService: ServiceModule = {
  name: 'beszel',
  completeFields: { name: ['beszel.system'] },
  summary: 'Beszel: system status, per-system detail and alerts',
  operations: [beszelSystems, beszelSystem, beszelHistory, beszelAlerts],
};
