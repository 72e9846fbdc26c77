/**
 * @module core/cert-expiry
 * How homelab words a certificate's remaining life, the same in `check` findings and
 * `watch` alerts: `expires in 5 days`, `expires today`, `expired 1 day ago`.
 */

/** The words for a certificate with `days` whole days left (negative: expired that many days ago). */
export function expiryWords(days: number): string {
  if (days < 0) return `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  if (days === 0) return 'expires today';
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
}
