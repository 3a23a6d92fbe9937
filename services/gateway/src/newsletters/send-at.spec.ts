import { checkSendAt } from './send-at';

const now = Date.parse('2026-12-05T12:00:00Z');

describe('checkSendAt', () => {
  it.each([
    ['2026-12-06T09:00:00Z', '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T09:00Z', '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T10:00:00+01:00', '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T04:00:00.250-0500', '2026-12-06T09:00:00.250Z'],
  ])('reads %s as %s', (raw, expected) => {
    expect(checkSendAt(raw, now)).toBe(expected);
  });

  it.each([
    ['2026-12-06T09:00:00', /must carry its time zone/],
    ['2026-12-06T09:00', /must carry its time zone/],
    ['2026-12-06', /ISO 8601/],
    ['tomorrow', /ISO 8601/],
    ['2026-12-05T11:00:00Z', /in the future/],
    ['2027-12-06T09:00:00Z', /within a year/],
  ])('refuses %s (400 naming sendAt)', (raw, message) => {
    let thrown: unknown;
    try {
      checkSendAt(raw, now);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400, field: 'sendAt' });
    expect((thrown as Error).message).toMatch(message);
  });
});
