/**
 * @module test/orchestration/notes-service
 * A tiny service of real operations for the plan mechanism's tests: notes kept in
 * memory, put and deleted by id, each call written to a shared log (in order), and
 * faults on request (`fail`: the step throws the error a real client would: unreachable,
 * refused, the API saying no, or no answer in time, nothing done; `lose`: the note is put,
 * then the answer is lost: the connection reset or the time limit hit; `abort`: the run is
 * cancelled meanwhile, and the step fails before putting its note; `stopAfter`: the run is
 * cancelled meanwhile, and the step still finishes, its note put). `notes.drop` deletes by
 * key, NotFoundError when there is none (a marker-guarded delete of an object that is not
 * there); `fail: 'ambiguous'` refuses it as a usage error (a name two objects share).
 */
import { z } from 'zod';
import { ApiError, AuthError, CancelledError, NotFoundError, TimeoutError, UnreachableError, UsageError } from '../../src/core/errors.js';
import { defineOperation, type ServiceModule } from '../../src/core/operation.js';
import { Registry } from '../../src/core/registry.js';

/** The notes and the log of one test. */
export interface Notes {
  byId: Map<number, { key: string; value: string }>;
  log: string[];
  nextId: number;
  /** Ids whose delete fails (an undo that cannot run). */
  undeletable: Set<number>;
  /** Called by `notes.put` with `abort` or `stopAfter`: cancels the run from inside a step. */
  abort?: () => void;
}

/** Fresh notes. */
export function newNotes(): Notes {
  return { byId: new Map(), log: [], nextId: 1, undeletable: new Set() };
}

/** The notes service over `notes`, as a registry. */
export function notesRegistry(notes: Notes): Registry {
  return new Registry([notesService(notes)]);
}

/** The notes service over `notes`. */
export function notesService(notes: Notes): ServiceModule {
  const put = defineOperation({
    id: 'notes.put',
    summary: 'put a note',
    input: z.object({
      key: z.string().min(1, 'key must not be empty'),
      value: z.string(),
      fail: z.enum(['unreachable', 'auth', 'api', 'timeout']).optional(),
      lose: z.enum(['reset', 'timeout']).optional(),
      abort: z.boolean().optional(),
      stopAfter: z.boolean().optional(),
    }),
    risk: 'change',
    async run(ctx, input) {
      notes.log.push(`put ${input.key}`);
      if (input.abort) {
        notes.abort?.();
        throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new CancelledError();
      }
      if (input.fail === 'unreachable') throw Object.assign(new UnreachableError('notes', 'cannot reach http://127.0.0.1:9: ECONNREFUSED'), { code: 'ECONNREFUSED' });
      if (input.fail === 'timeout') throw new TimeoutError('notes', 15_000, 'POST /notes');
      if (input.fail === 'auth') throw new AuthError('notes', '401 Unauthorized');
      if (input.fail === 'api') throw new ApiError('notes', 400, `key ${input.key} is taken`);
      if (input.stopAfter) notes.abort?.();
      const id = notes.nextId++;
      notes.byId.set(id, { key: input.key, value: input.value });
      if (input.lose === 'reset') throw Object.assign(new UnreachableError('notes', 'cannot reach http://127.0.0.1:9: ECONNRESET'), { code: 'ECONNRESET' });
      if (input.lose === 'timeout') throw new TimeoutError('notes', 15_000, 'POST /notes');
      return { id, key: input.key };
    },
  });
  const del = defineOperation({
    id: 'notes.delete',
    summary: 'delete a note',
    input: z.object({ id: z.number().int() }),
    risk: 'danger',
    async run(ctx, input) {
      notes.log.push(`delete ${input.id}${ctx.signal.aborted ? ' (aborted signal)' : ''}`);
      if (notes.undeletable.has(input.id)) throw new ApiError('notes', 409, `note ${input.id} is locked`);
      if (!notes.byId.delete(input.id)) throw new ApiError('notes', 404, `no note ${input.id}`);
      return { id: input.id };
    },
  });
  const drop = defineOperation({
    id: 'notes.drop',
    summary: 'delete a note by key',
    input: z.object({ key: z.string().min(1), fail: z.enum(['unreachable', 'ambiguous']).optional() }),
    risk: 'danger',
    async run(_ctx, input) {
      notes.log.push(`drop ${input.key}`);
      if (input.fail === 'unreachable') throw new UnreachableError('notes', 'cannot reach http://127.0.0.1:9: ECONNREFUSED');
      if (input.fail === 'ambiguous') throw new UsageError(`2 notes are keyed ${input.key}: use the id`);
      const found = [...notes.byId.entries()].find(([, n]) => n.key === input.key);
      if (!found) throw new NotFoundError('notes', 404, `no note ${input.key}`);
      notes.byId.delete(found[0]);
      return { id: found[0] };
    },
  });
  const list = defineOperation({
    id: 'notes.list',
    summary: 'list notes',
    input: z.object({}),
    risk: 'read',
    async run() {
      return [...notes.byId.entries()].map(([id, n]) => ({ id, ...n }));
    },
  });
  return { name: 'notes', summary: 'notes', operations: [put, del, drop, list] };
}
