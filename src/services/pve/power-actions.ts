/**
 * @module services/pve/power-actions
 * The power actions PVE runs on a guest (`POST …/status/<action>`).
 */

/** Power actions and their availability per guest type. */
export const POWER_ACTIONS = ['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'] as const;

/** A power action. */
export type PowerAction = (typeof POWER_ACTIONS)[number];
