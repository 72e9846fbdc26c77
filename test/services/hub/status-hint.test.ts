/**
 * A status line's hint names a homelab command (`see: homelab updates check`): it is marked
 * as homelab's own command text, so the bot's `/status` says it as the bot has it
 * (`/updates check`) while the terminal keeps `homelab updates check`.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../../src/core/render.js';
import { statusOperation, type StatusResult } from '../../../src/services/hub/status.js';
import { getRegistry } from '../../../src/services/index.js';
import { blocksForBot, botTextFor } from '../../../src/surfaces/telegram/bot-text.js';

const result: StatusResult = {
  checkedAt: 0,
  unknown: [],
  services: [
    { service: 'pve', state: 'up', headline: '3 nodes online', tone: 'ok', ms: 10, error: null },
    {
      service: 'updates', state: 'up', headline: '4 pending; unreachable: forgejo', tone: 'warn', ms: 20,
      error: { message: 'updates check: 1 of 6 targets failed (forgejo)', hint: 'see: homelab updates check', exitCode: 4 },
    },
  ],
};

describe('status hints on each surface', () => {
  it('the bot rewrites the hint to its own command; the CLI keeps it', () => {
    const blocks = statusOperation.render?.(result, { timeout: 5 });
    if (!blocks) throw new Error('status has no render');
    expect(renderText(blocks)).toContain('updates: see: homelab updates check');
    const onBot = renderText(blocksForBot(blocks, botTextFor(getRegistry())));
    expect(onBot).toContain('updates: see: /updates check');
    expect(onBot).not.toContain('homelab updates check');
  });
});
