/**
 * @module surfaces/cli/completion/config-values
 * What completion reads from config.yaml without any network: the contexts (names under
 * `contexts:`, and which one is current) and the SSH target names (`ssh.targets`, or the
 * current context's). The file is read as plain YAML and only these keys are looked at, so
 * a config that the full schema would refuse (mid-edit, or of a newer version) still
 * completes what it can; a missing or unreadable file completes nothing from it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CompletionValue } from '../../../core/completion.js';
import { configFile } from '../../../core/paths.js';

/** The context of a config without `contexts:` (and the name its values are cached under). */
export const DEFAULT_CONTEXT = 'default';

const targetSchema = z.object({ name: z.string().regex(/^[^\p{Cc}\s]+$/u), host: z.string().optional() });
const sshSchema = z.object({ targets: z.array(z.unknown()).catch([]) }).catch({ targets: [] });
const blockSchema = z.object({ ssh: sshSchema.optional() }).catch({});
const rawSchema = z.object({
  ssh: sshSchema.optional(),
  contexts: z.record(z.string(), blockSchema).optional().catch(undefined),
  current_context: z.string().optional().catch(undefined),
});

/** The parts of config.yaml that completion uses. */
export interface ConfigValues {
  /** Context names, in file order; empty without `contexts:`. */
  contexts: string[];
  /** The context a command runs in when none is named (`current_context`, or `default`). */
  current: string;
  /** SSH target names of a context (the top-level `ssh.targets` without contexts). */
  sshTargets(context: string): CompletionValue[];
}

function targetsOf(ssh: z.infer<typeof sshSchema> | undefined): CompletionValue[] {
  return (ssh?.targets ?? []).flatMap((t) => {
    const parsed = targetSchema.safeParse(t);
    return parsed.success ? [{ value: parsed.data.name, ...(parsed.data.host ? { description: parsed.data.host } : {}) }] : [];
  });
}

/** Reads config.yaml for completion; never throws. */
export function readConfigValues(env: NodeJS.ProcessEnv): ConfigValues {
  let raw: z.infer<typeof rawSchema> = {};
  try {
    const parsed = rawSchema.safeParse(parseYaml(readFileSync(configFile(env), 'utf8')));
    if (parsed.success) raw = parsed.data;
  } catch {
    // no config yet, or not YAML: nothing to offer from it
  }
  const contexts = Object.keys(raw.contexts ?? {});
  const current = raw.current_context ?? (contexts.length && !contexts.includes(DEFAULT_CONTEXT) ? (contexts[0] as string) : DEFAULT_CONTEXT);
  return {
    contexts,
    current,
    sshTargets: (context) => targetsOf(raw.contexts?.[context] ? raw.contexts[context].ssh : raw.ssh),
  };
}

/**
 * The context whose cached values a command line uses: its `--context`, else
 * `HOMELAB_CONTEXT`, else the config's current one.
 */
export function selectedContext(config: ConfigValues, env: NodeJS.ProcessEnv, named?: string): string {
  return named || env.HOMELAB_CONTEXT || config.current;
}
