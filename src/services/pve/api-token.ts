/**
 * @module services/pve/api-token
 * The form of a PVE API token (`PVE_TOKEN_ID=user@realm!tokenid`) and the header it is
 * sent in, shared by the client factory and `doctor` so both accept the same ids and send
 * the same header.
 */

/** `user@realm!tokenid`; PVE token names start with a letter (pve.md, `pve-tokenid`). */
const TOKEN_ID = /^[^@\s]+@[^!\s]+![A-Za-z][A-Za-z0-9._-]*$/;

/** Whether `id` has the form of a PVE token id (`user@realm!tokenid`). */
export function isPveTokenId(id: string): boolean {
  return TOKEN_ID.test(id);
}

/**
 * The `Authorization` value for a PVE API token: `PVEAPIToken=ID=SECRET`. The server
 * URL-unescapes the value (pve.md §4.1), so the secret is encoded and any character survives.
 */
export function pveAuthHeader(tokenId: string, secret: string): string {
  return `PVEAPIToken=${tokenId}=${encodeURIComponent(secret)}`;
}
