// The row rules live in @mailroom/contracts (lists/subscriber-rows), shared with the CLI so that a
// recipients file is read the same way by both.
export { checkSubscriber, rejectRow as reject, MAX_NAME_CHARS, type RowResult, type Subscriber } from '@mailroom/contracts';
