import { PublishWindow } from './publish-window';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('PublishWindow', () => {
  it('keeps at most `size` publishes in flight', async () => {
    const window = new PublishWindow(2);
    const pending = [deferred(), deferred(), deferred()];
    let started = 0;
    await window.push(() => ((started += 1), pending[0]!.promise));
    await window.push(() => ((started += 1), pending[1]!.promise));
    const third = window.push(() => ((started += 1), pending[2]!.promise));
    await Promise.resolve();
    expect(started).toBe(2);
    pending[0]!.resolve();
    await third;
    expect(started).toBe(3);
    pending[1]!.resolve();
    pending[2]!.resolve();
    await window.drain();
  });

  it('surfaces the first failed publish on drain', async () => {
    const window = new PublishWindow(10);
    await window.push(() => Promise.resolve());
    await window.push(() => Promise.reject(new Error('no stream')));
    await expect(window.drain()).rejects.toThrow('no stream');
  });

  it('stops accepting publishes after a failure', async () => {
    const window = new PublishWindow(1);
    const failing = deferred();
    await window.push(() => failing.promise);
    const next = window.push(() => Promise.resolve());
    failing.reject(new Error('timeout'));
    await expect(next).rejects.toThrow('timeout');
  });
});
