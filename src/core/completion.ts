/**
 * @module core/completion
 * Shell completion's dynamic values, as operations and services declare them. A value
 * kind names a set of words a shell can offer (`pve.guest`: VMIDs, `proxy.host`: proxy
 * host domains); a service says which of its input keys take which kinds
 * (`ServiceModule.completeFields`), and a listing operation says which values its result
 * holds (`Operation.completions`). The CLI stores those values after a successful run
 * (surfaces/cli/completion/cache), so that pressing Tab never calls a service.
 * Two kinds come from the config file itself, with no listing: `ssh.target`
 * (`ssh.targets[].name`) and `context` (the names under `contexts:`); two are left to the
 * shell: `file` and `dir` (`PathKind`).
 */

/** A kind of completion value: `<service>.<thing>` (`pve.guest`), or one of `CONFIG_KINDS`. */
export type CompletionKind = string;

/** Kinds read from config.yaml at completion time rather than from a listing. */
export const CONFIG_KINDS: readonly CompletionKind[] = ['ssh.target', 'context'];

/**
 * Kinds the shell completes itself: a file name (`plan [file]`) or a directory name
 * (`shims install [DIR]`); never stored, never listed.
 */
export type PathKind = 'file' | 'dir';

/** Whether `kind` is a `PathKind`. */
export function isPathKind(kind: string): kind is PathKind {
  return kind === 'file' || kind === 'dir';
}

/** One word a shell may offer, with what it is (shown by zsh and fish beside the word). */
export interface CompletionValue {
  value: string;
  description?: string;
}

/** The values of one kind found by a run. */
export interface CompletionUpdate {
  kind: CompletionKind;
  values: readonly CompletionValue[];
  /**
   * A filtered listing (`pve list --type lxc`): its values are added to the stored ones
   * instead of replacing them. A full listing replaces them (a deleted guest is forgotten).
   */
  partial?: boolean;
}
