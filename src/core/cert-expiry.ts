/**
 * @module core/cert-expiry
 * How homelab words a certificate's remaining life, the same in `check` findings, `watch`
 * alerts and the proxy's views: `expires in 5 days`, `expired today`, `expired 1 day ago`.
 * Days are counted as `proxy certs` counts its `daysLeft`, rounded up (a certificate expiring
 * in 4 days 20 hours has 5 days left), so 0 (or -0) is one that expired within the last day:
 * an expired certificate is never "expires today".
 */

/**
 * The words for a certificate with `days` whole days left (rounded up; negative: expired that
 * many days ago). `expired` says whether it has expired, for a count that is not rounded up
 * (Uptime Kuma rounds to the nearest day, so its 0 may still be valid): by default, 0 or less.
 */
export function expiryWords(days: number, expired = days <= 0): string {
  if (expired) return days >= 0 ? 'expired today' : `expired ${-days} day${days === -1 ? '' : 's'} ago`;
  if (days <= 0) return 'expires today';
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
}
