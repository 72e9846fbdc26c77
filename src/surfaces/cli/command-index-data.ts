/**
 * @module surfaces/cli/command-index-data
 * The command index as the build writes it (`command-index.json`) and the CLI reads it: its
 * format version, its file name, and the shape of its operations and services. Plain types
 * and two constants, so the builder (`command-index-build.ts`) and the reader
 * (`command-index.ts`) share them without importing each other.
 */
import type { FieldInfo } from '../../core/args.js';
import type { Actor, Risk } from '../../core/operation.js';

/** Version of the index format; a file of another version is ignored (and the index rebuilt in memory). */
export const COMMAND_INDEX_FORMAT = 1;

/** File name of the built index, next to the bundle's chunks. */
export const COMMAND_INDEX_FILE = 'command-index.json';

/** One operation, as help and dispatch need it. */
export interface IndexedOperation {
  id: string;
  /** Group name of its service (empty for top-level commands). */
  service: string;
  /** Key of the service module that defines it, in `services/catalog` (`pve`, `audit`, `setup`). */
  module: string;
  /** Which of that module's parts (`ServiceLoader.parts`) defines it, when the module has parts. */
  part?: number;
  summary: string;
  description?: string;
  risk: Risk;
  /** A `change` operation confirmed like a destructive one (it has a preview: a plan), so it takes `--yes`. */
  confirms?: boolean;
  /** `pve start <vmid> [options]`, without `homelab`. */
  usage: string;
  args?: string[];
  variadic?: boolean;
  surfaces?: Actor['surface'][];
  examples?: string[];
  /** The input fields, positional ones first (as `fieldsOf` returns them). */
  fields: FieldInfo[];
}

/** One service group. */
export interface IndexedService {
  name: string;
  aliases?: string[];
  summary: string;
}

/** The serialised index. */
export interface CommandIndexData {
  format: number;
  services: IndexedService[];
  operations: IndexedOperation[];
}
