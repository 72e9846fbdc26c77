/** @module services/setup — top-level commands of the hub's own administration: doctor, services, init, shims. */
export { setupService } from './service.js';
export { runDoctor, renderDoctor, type DoctorResult } from './doctor/operation.js';
export type { DoctorCheck } from './doctor/check.js';
export type { ServicesResult, ServiceEntry } from './services-op.js';
export { SHIM_MARKER, type ShimsResult } from './shims.js';
export type { InitResult } from './init.js';
