/**
 * @module services/kuma/service
 * Uptime Kuma: status from /metrics, monitors over Socket.IO.
 */
import type { ServiceModule } from '../../core/operation.js';
import { kumaAddOperations } from './operations-add.js';
import { kumaEdit } from './operations-edit.js';
import { kumaDelete, kumaPause, kumaResume } from './operations-manage.js';
import { kumaList, kumaStatus } from './operations-read.js';
import { kumaShow } from './operations-show.js';

/** The kuma service module. */
export const kumaService: ServiceModule = {
  name: 'kuma',
  completeFields: { monitor: ['kuma.monitor'] },
  summary: 'Uptime Kuma: monitor status, show, add, edit, pause, resume, delete',
  operations: [kumaStatus, kumaList, kumaShow, ...kumaAddOperations, kumaEdit, kumaPause, kumaResume, kumaDelete],
};
