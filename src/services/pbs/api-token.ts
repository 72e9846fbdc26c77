/**
 * @module services/pbs/api-token
 * The form of a PBS API token (`PBS_TOKEN_ID=user@realm!tokenid`) and the header it is
 * sent in, `PBSAPIToken=USER@REALM!TOKENID:SECRET`: a colon before the secret, where PVE
 * has `=` (PBS reads a PVE-style header as one long, invalid token name). Shared by the
 * client factory and `doctor` so both accept the same ids and send the same header.
 */

/** `user@realm!tokenid`: PBS user names have no whitespace, `:` or `/`; realm and token name are PBS's safe ids. */
const TOKEN_ID = /^[^@\s:/]+@[A-Za-z0-9_][A-Za-z0-9._-]*![A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Whether `id` has the form of a PBS token id (`user@realm!tokenid`). */
export function isPbsTokenId(id: string): boolean {
  return TOKEN_ID.test(id);
}

/** The `Authorization` value for a PBS API token; the server percent-decodes the secret (pbs.md §4.1), so it is encoded. */
export function pbsAuthHeader(tokenId: string, secret: string): string {
  return `PBSAPIToken=${tokenId}:${encodeURIComponent(secret)}`;
}
