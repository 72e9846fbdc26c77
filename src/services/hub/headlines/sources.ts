/**
 * @module services/hub/headlines/sources
 * Every headline source `status` knows, in display order.
 */
import { beszelHeadline } from './beszel.js';
import { dnsHeadline } from './dns.js';
import { kumaHeadline } from './kuma.js';
import { pbsHeadline } from './pbs.js';
import { proxyHeadline } from './proxy.js';
import { pveHeadline } from './pve.js';
import type { HeadlineSource } from './types.js';
import { updatesHeadline } from './updates.js';

/** The headline sources, in the order `status` lists services. */
export const headlineSources: readonly HeadlineSource[] = [pveHeadline, pbsHeadline, dnsHeadline, proxyHeadline, beszelHeadline, kumaHeadline, updatesHeadline];
