/**
 * @module core/http/change-channel
 * Where the HTTP client says that a service accepted a change: a request that may change
 * something (`HttpRequest.changes`, so not a read and not a sign-in) answered below 400 is
 * published on the diagnostics channel `homelab:http:change-accepted`. A plan's applier
 * listens (orchestration/write-watch) to tell a step that failed after its change was made
 * from one that changed nothing. Publishing costs nothing while no one listens. An API that
 * answers its refusals with 200 too (Technitium) has its client publish once it has read the
 * answer (`HttpRequest.statusSaysAccepted: false`).
 */
import { channel } from 'node:diagnostics_channel';

/** The diagnostics channel's name. */
export const CHANGE_ACCEPTED = 'homelab:http:change-accepted';

/** What is published for one accepted change. */
export interface AcceptedChange {
  service: string;
  method: string;
  /** The request path, redacted. */
  path: string;
  status: number;
}

const accepted = channel(CHANGE_ACCEPTED);

/** Publishes `change` to whoever listens (in the caller's async context). */
export function publishAcceptedChange(change: AcceptedChange): void {
  if (accepted.hasSubscribers) accepted.publish(change);
}
