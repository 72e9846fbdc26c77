/**
 * @module surfaces/web/local-user
 * The local user's name, as the login-free dashboard names its one user and as
 * `homelab serve passwd` takes it when `--user` is not given.
 */
import { userInfo } from 'node:os';

/** The local user's name, as the login-free mode names its one user. */
export function localUserName(): string {
  try {
    return userInfo().username.replace(/[^A-Za-z0-9._-]/g, '') || 'local';
  } catch {
    return 'local';
  }
}
