/**
 * @module surfaces/cli/completion/config-values
 * What completion reads from config.yaml without any network: the contexts (by the rules
 * of core/context-name: which exist, which one is current) and the SSH target names of a
 * context (`ssh.targets` at the top for `default`, or the context's block). The file is
 * read as plain YAML and only these keys are looked at, so a config that the full schema
 * would refuse (mid-edit, or of a newer version) still completes what it can; a missing or
 * unreadable file completes nothing from it.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CompletionValue } from '../../../core/completion.js';
import { contextChoice, DEFAULT_CONTEXT } from '../../../core/context-name.js';
import { configFile } from '../../../core/paths.js';

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
  /** Context names to offer (`default` first when it exists); empty without `contexts:`. */
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
  let yaml: unknown;
  let raw: z.infer<typeof rawSchema> = {};
  try {
    yaml = parseYaml(readFileSync(configFile(env), 'utf8'));
    const parsed = rawSchema.safeParse(yaml);
    if (parsed.success) raw = parsed.data;
  } catch {
    // no config yet, or not YAML: nothing to offer from it
  }
  const choice = contextChoice(yaml);
  return {
    contexts: raw.contexts ? choice.names : [],
    current: choice.current,
    // A context's own ssh: block; `default` is the top level's unless `contexts:` names it.
    sshTargets: (context) => targetsOf(raw.contexts?.[context]?.ssh ?? (context === DEFAULT_CONTEXT ? raw.ssh : undefined)),
  };
}

/**
 * The context whose cached values a command line uses: its `--context`, else
 * `HOMELAB_CONTEXT`, else the config's current one.
 */
export function selectedContext(config: ConfigValues, env: NodeJS.ProcessEnv, named?: string): string {
  return named || env.HOMELAB_CONTEXT || config.current;
}
