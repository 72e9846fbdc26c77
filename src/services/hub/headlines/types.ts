/**
 * @module services/hub/headlines/types
 * A headline source: which read operations of a service `status` invokes (through
 * `ctx.invoke`, so it depends only on their JSON results) and how to summarise them in
 * one line.
 */
import type { HomelabConfig } from '../../../core/config.js';
import type { Tone } from '../../../core/render.js';

/** One line about a service. */
export interface Headline {
  text: string;
  tone: Extract<Tone, 'ok' | 'warn' | 'bad'>;
}

/** An operation call a headline needs. */
export interface HeadlineCall {
  /** Operation id in the registry (`pbs.status`). */
  op: string;
  input?: Record<string, unknown>;
}

/** How `status` gets one service's headline. */
export interface HeadlineSource {
  /** Service name, as in `services.<name>` and the CLI group. */
  service: string;
  /** Operations to run at once; alternatives per slot, the first one that exists (`ctx.lookup`) wins. */
  calls: readonly (readonly HeadlineCall[])[];
  /** Whether the service is configured (default: `services.<service>` exists). */
  configured?(config: HomelabConfig): boolean;
  /** Summarises the results, keyed by operation id. */
  summarise(results: ReadonlyMap<string, unknown>): Headline;
}

/** Plural helper: `1 guest`, `2 guests`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
