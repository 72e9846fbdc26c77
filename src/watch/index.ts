/** @module watch — the alert daemon: checks, alert state machine, scheduler, notifier. */
export { startWatch, type StartWatchOptions, type RunningWatch } from './daemon.js';
export { Watcher, type WatcherOptions, type CheckOutcome } from './watcher.js';
export { WatchStore, watchFile, MAINTENANCE, type AlertRow, type WatchEvent, type CheckRun } from './state.js';
export { applyFindings, dueNotices, markSent, isFlapping, type AlertPolicy, type Notice } from './engine.js';
export { telegramNotifier, notifierFromConfig, splitMessage, type Notifier } from './notifier.js';
export { allChecks, checkNames } from './checks/index.js';
export { watchConfig, watchConfigSchema, type WatchConfig } from './config.js';
export { defineCheck, type CheckDefinition, type AnyCheck, type Finding, type CheckRunner } from './check.js';
export { resolveCheck, type ResolvedCheck } from './resolve.js';
export { buildDigest } from './digest.js';
export { watchedLabs, labName, type WatchedLab } from './contexts.js';
export { startLabWatches, type LabWatchesOptions } from './lab-watches.js';
