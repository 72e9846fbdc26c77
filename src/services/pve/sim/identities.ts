/**
 * @module services/pve/sim/identities
 * Who may talk to the simulator: the toolkit's API token, a privilege-separated
 * read-only token (for permission errors), and `root@pam` by password (ticket login).
 * Each has a fixed set of privileges that applies to every ACL path.
 */

/** Privileges of the `PVEAuditor` role (PVE 9). */
export const AUDITOR_PRIVS = ['Datastore.Audit', 'Mapping.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit', 'VM.GuestAgent.Audit'] as const;

/** Privileges the toolkit's token gets: what `docs` suggest for the homelab role. */
export const OPERATOR_PRIVS = [
  ...AUDITOR_PRIVS,
  'Datastore.AllocateSpace', 'Sys.Modify', 'VM.Backup', 'VM.Config.Options', 'VM.Console',
  'VM.PowerMgmt', 'VM.Snapshot', 'VM.Snapshot.Rollback',
  // Guest lifecycle: create, clone, configure, resize, migrate, restore, destroy; download templates.
  'Datastore.AllocateTemplate', 'VM.Allocate', 'VM.Clone', 'VM.Config.CDROM', 'VM.Config.CPU', 'VM.Config.Cloudinit',
  'VM.Config.Disk', 'VM.Config.HWType', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Migrate',
] as const;

/** Every privilege PVE 9 knows (root@pam has them all). */
export const ALL_PRIVS = [
  ...OPERATOR_PRIVS,
  'Datastore.Allocate', 'Group.Allocate', 'Mapping.Modify', 'Mapping.Use',
  'Permissions.Modify', 'Pool.Allocate', 'Realm.Allocate', 'Realm.AllocateUser', 'SDN.Allocate', 'SDN.Use',
  'Sys.AccessNetwork', 'Sys.Console', 'Sys.Incoming', 'Sys.PowerMgmt', 'Sys.Syslog', 'User.Modify',
  'VM.GuestAgent.FileRead', 'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite', 'VM.GuestAgent.Unrestricted', 'VM.Replicate',
] as const;

/** An authenticated caller. */
export interface Identity {
  /** `USER@REALM`. */
  userid: string;
  /** Token name for API tokens (`cli` of `homelab@pve!cli`). */
  tokenid?: string;
  /** `USER@REALM` or `USER@REALM!TOKENID`: what tasks record as their user. */
  authid: string;
  privileges: ReadonlySet<string>;
}

/** An API token the simulator accepts. */
export interface SimToken {
  /** `USER@REALM!TOKENID`. */
  id: string;
  secret: string;
  privileges: readonly string[];
}

/** The toolkit's token (written to the lab's `pve/credentials`). */
export const CLI_TOKEN: SimToken = { id: 'homelab@pve!cli', secret: '5b1f3c9e-8a42-4d7b-9c61-2e0f7a4d8b35', privileges: OPERATOR_PRIVS };
/** A privilege-separated read-only token (PVEAuditor): power and snapshot calls get 403. */
export const READONLY_TOKEN: SimToken = { id: 'monitor@pve!ro', secret: 'a7d2e614-3f95-4c08-b1e7-6c9d0f2a5e43', privileges: AUDITOR_PRIVS };

/** The identity of an API token. */
export function tokenIdentity(token: SimToken): Identity {
  const bang = token.id.indexOf('!');
  return { userid: token.id.slice(0, bang), tokenid: token.id.slice(bang + 1), authid: token.id, privileges: new Set(token.privileges) };
}

/** The identity of `root@pam` (ticket login). */
export function rootIdentity(): Identity {
  return { userid: 'root@pam', authid: 'root@pam', privileges: new Set(ALL_PRIVS) };
}
