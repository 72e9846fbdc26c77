/**
 * @module surfaces/shared/allow-level
 * The `--allow` level of a server that runs operations for others (`homelab mcp`, `homelab
 * serve`): the highest risk it was started to allow, read-only by default. One definition for
 * both, so the MCP server and the dashboard withhold exactly the same operations.
 *
 * In surfaces/shared/, the home of what more than one surface uses: a surface imports only
 * its own folder and this one, never another surface's modules, so no surface loads
 * another's code or closes an import cycle with it (test/services/import-cycles.test.ts
 * holds this).
 */
import { z } from 'zod';
import { riskAbove, type Risk } from '../../core/operation.js';

/** The highest risk the server was started to allow (`--allow`). */
export type AllowLevel = Risk;

/** Whether an operation of `risk` may run under `allow`. */
export function isAllowed(risk: Risk, allow: AllowLevel): boolean {
  return !riskAbove(risk, allow);
}

/** Parses `--allow` values: `read` (default), `change`, `danger`. */
export const allowSchema = z.enum(['read', 'change', 'danger'], { error: '--allow must be change or danger (read is the default)' });
