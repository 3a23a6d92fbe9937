import { applySubscriberPatch } from './subscriber-patch';

const ann = { email: 'Ann@example.org', name: 'Ann', vars: { city: 'Oslo', plan: 'pro' } };

describe('applySubscriberPatch', () => {
  it.each([
    ['renames, keeping the fields', { name: 'Ann B.' }, { email: 'Ann@example.org', name: 'Ann B.', vars: { city: 'Oslo', plan: 'pro' } }],
    ['removes the name with null or an empty one', { name: null }, { email: 'Ann@example.org', vars: { city: 'Oslo', plan: 'pro' } }],
    ['', { name: '  ' }, { email: 'Ann@example.org', vars: { city: 'Oslo', plan: 'pro' } }],
    ['sets, replaces and removes fields (merge patch)', { vars: { city: 'Lyon', plan: null, team: 'red' } }, { email: 'Ann@example.org', name: 'Ann', vars: { city: 'Lyon', team: 'red' } }],
    ['drops vars once the last one is removed', { vars: { city: null, plan: null } }, { email: 'Ann@example.org', name: 'Ann' }],
    ['changes nothing for an empty patch', {}, ann],
  ])('%s', (_what, patch, expected) => {
    expect(applySubscriberPatch(ann, patch)).toEqual({ ok: true, subscriber: expected });
  });

  it('refuses what an import would refuse, naming the field', () => {
    expect(applySubscriberPatch(ann, { name: 'a\nb' })).toMatchObject({ ok: false, field: 'name', reason: expect.stringContaining('line breaks') });
    expect(applySubscriberPatch(ann, { name: 'x'.repeat(300) })).toMatchObject({ ok: false, field: 'name' });
    expect(applySubscriberPatch(ann, { vars: { city: 3 as unknown as string } })).toMatchObject({ ok: false, field: 'vars.city' });
  });
});
