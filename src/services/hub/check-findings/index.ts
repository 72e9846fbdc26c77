/**
 * @module services/hub/check-findings
 * The rules of `homelab check` (rules: `findAll`) and what they reason over and find
 * (types): the one import for the check's gathering and rendering.
 */
export * from './types.js';
export * from './rules.js';
