import { RequestError, RequestOne } from '@nats-io/transport-node';

/**
 * Stops `@nats-io/nats-core` (3.3) from building an Error for every answered request.
 *
 * `RequestOne.resolver` settles a request's promise with its answer and then calls `cancel()`,
 * which rejects the same, already settled promise with `new RequestError("cancelled")`: nobody
 * can ever see that error, yet constructing it (a stack trace) was the single largest function
 * in the sender's profile after the socket writes, ~14 µs per email (every ledger write and
 * publish is a request). Here a request remembers that it was answered, and its `cancel()` then
 * rejects with one error built once. A request cancelled before its answer (the connection
 * closing, an iterator stopped) gets a fresh error as before. Behaviour is otherwise unchanged.
 *
 * Idempotent; applied by JetStreamConnection.connect. If a later nats-core renames these
 * methods, `isAnsweredRequestCancelCheap()` turns false and its test says so.
 */
export function makeAnsweredRequestCancelCheap(): void {
  const prototype = RequestOne.prototype as PatchableRequest;
  if (prototype[PATCHED] === true) return;
  const { resolver, cancel } = prototype;
  if (typeof resolver !== 'function' || typeof cancel !== 'function') return;
  prototype.resolver = function (this: PatchableRequest, ...args: unknown[]) {
    this[ANSWERED] = true;
    return resolver.apply(this, args);
  };
  prototype.cancel = function (this: PatchableRequest, error?: Error) {
    return cancel.call(this, error ?? (this[ANSWERED] === true ? ALREADY_ANSWERED : undefined));
  };
  prototype[PATCHED] = true;
}

/** Whether `makeAnsweredRequestCancelCheap` took effect on the installed nats-core. */
export function isAnsweredRequestCancelCheap(): boolean {
  return (RequestOne.prototype as PatchableRequest)[PATCHED] === true;
}

const ANSWERED = Symbol('mailroom.answered');
const PATCHED = Symbol.for('mailroom.answeredRequestCancel');

/** The rejection of a promise already settled by its answer: unobservable, so one will do. */
const ALREADY_ANSWERED = new RequestError('cancelled');

interface PatchableRequest {
  resolver: (...args: unknown[]) => unknown;
  cancel: (error?: Error) => unknown;
  [ANSWERED]?: boolean;
  [PATCHED]?: boolean;
}
