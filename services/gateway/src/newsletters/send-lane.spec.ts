import { sendLaneOf } from './send-lane';

const two = [{ email: 'ann@example.org' }, { email: 'bob@example.org' }];

describe('sendLaneOf: the lane stored in a new newsletter', () => {
  it.each([
    ['a test send', { test: true, recipients: two }, 'fast'],
    ['a test send marked low', { test: true, recipients: two, priority: 'low' as const }, 'fast'],
    ['one inline recipient', { recipients: [{ email: 'ann@example.org' }] }, 'fast'],
    ['one inline recipient marked low', { recipients: [{ email: 'ann@example.org' }], priority: 'low' as const }, 'fast'],
    ['two inline recipients, high', { recipients: two, priority: 'high' as const }, 'high'],
    ['two inline recipients, low', { recipients: two, priority: 'low' as const }, 'low'],
    ['two inline recipients, no priority', { recipients: two }, 'normal'],
    ['a list send, high', { priority: 'high' as const }, 'high'],
    ['a list send, low', { priority: 'low' as const }, 'low'],
    ['a list send, no priority', {}, 'normal'],
  ])('%s → %s', (_what, request, lane) => {
    expect(sendLaneOf(request)).toBe(lane);
  });
});
