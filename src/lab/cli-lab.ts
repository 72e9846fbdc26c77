/**
 * @module lab/cli-lab
 * The lab as `homelab lab` loads it: the simulators and the SSH targets. The build makes it a
 * CommonJS file of its own (dist/lab.cjs), so that the CLI bundle, which every command reads,
 * does not carry the simulators (half of all the code) for the one command that runs them.
 */
export { startLab } from './lab.js';
export { attachSshTargets } from './ssh-target/index.js';
