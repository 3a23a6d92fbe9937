import { PermanentError, RetryableError } from '@mailroom/jetstream';
import { SenderStoppingError, TokenWaitTimeoutError } from '../rate-limits/rate-limit-wait.errors';
import { HAND_BACK_DELAY_MS, handBack } from './hand-back';

describe('handBack', () => {
  it('turns shutdown into a quick redelivery, keeping the cause', () => {
    const stopping = new SenderStoppingError();
    const error = handBack(stopping) as RetryableError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.options).toEqual({ delayMs: HAND_BACK_DELAY_MS, cause: stopping });
  });

  it('turns a wait past its bound into a quick redelivery', () => {
    const error = handBack(new TokenWaitTimeoutError(60_000)) as RetryableError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.message).toBe('No rate-limit token within 60000 ms; batch handed back');
  });

  it('passes anything else through', () => {
    const permanent = new PermanentError('bad');
    const bug = new TypeError('oops');
    expect(handBack(permanent)).toBe(permanent);
    expect(handBack(bug)).toBe(bug);
  });
});
