/**
 * @module services/pve/operations-power
 * Power actions: `pve start|stop|shutdown|reboot|suspend|resume <vmid>`. Each returns a
 * UPID; by default the operation waits for the task and fails unless `exitstatus` is OK.
 * The confirmation names the guest looked up (`Start VM 201 (media) on pve1`); a vmid no
 * guest has is refused before anything is asked.
 */
import { z } from 'zod';
import { defineOperation, type Operation, type Risk } from '../../core/operation.js';
import { pveClientFactory } from './factory.js';
import { guestPreview } from './guest-preview.js';
import { vmidSchema, waitSchema } from './inputs.js';
import type { PowerAction } from './power-actions.js';
import { renderTaskOutcome, runGuestTask, type TaskOutcome } from './task-outcome.js';

const powerInput = z.object({ vmid: vmidSchema, wait: waitSchema });

const SUMMARIES: Record<PowerAction, [string, Risk, string]> = {
  start: ['Start a guest', 'change', 'Start'],
  stop: ['Stop a guest at once (like pulling the plug)', 'danger', 'Hard-stop'],
  shutdown: ['Shut a guest down cleanly (ACPI / init)', 'change', 'Shut down'],
  reboot: ['Reboot a guest cleanly', 'change', 'Reboot'],
  suspend: ['Suspend (pause) a guest', 'change', 'Suspend'],
  resume: ['Resume a suspended guest', 'change', 'Resume'],
};

function powerOperation(action: PowerAction): Operation<typeof powerInput, TaskOutcome> {
  const [summary, risk, verb] = SUMMARIES[action];
  return defineOperation({
    id: `pve.${action}`,
    summary,
    args: ['vmid'],
    input: powerInput,
    risk,
    timeoutMs: 300_000,
    examples: [`pve ${action} 200`, `pve ${action} 200 --no-wait`],
    confirm: (input) => `${verb} guest ${input.vmid}`,
    // The guest looked up before asking: a missing one is refused at once, and the line names it.
    preview: (ctx, input) => guestPreview(ctx, input.vmid, (where) => `${verb} ${where}`),
    async run(ctx, input) {
      const client = await ctx.client(pveClientFactory);
      const guest = await client.resolveGuest(input.vmid, ctx.signal);
      return runGuestTask(ctx, client, guest, action, input.wait, () => client.power(guest, action, ctx.signal));
    },
    render: renderTaskOutcome,
  });
}

/** The six power operations. */
export const powerOperations = (['start', 'stop', 'shutdown', 'reboot', 'suspend', 'resume'] as const).map(powerOperation);
