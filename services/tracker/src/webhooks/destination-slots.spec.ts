import { DestinationSlots } from './destination-slots';

describe('DestinationSlots', () => {
  it('lets perDestination holders in per destination, the next in order once one releases', async () => {
    const slots = new DestinationSlots(2);
    const a1 = await slots.acquire('https://a');
    const a2 = await slots.acquire('https://a');
    const b1 = await slots.acquire('https://b');
    const order: string[] = [];
    const a3 = slots.acquire('https://a').then((release) => (order.push('a3'), release));
    const a4 = slots.acquire('https://a').then((release) => (order.push('a4'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    a1();
    a1(); // a second call releases nothing more
    const r3 = await a3;
    expect(order).toEqual(['a3']);
    a2();
    const r4 = await a4;
    expect(order).toEqual(['a3', 'a4']);
    for (const release of [r3, r4, b1]) release();
    // Everything free again: two at once, without waiting.
    await slots.acquire('https://a');
    await slots.acquire('https://a');
  });
});
