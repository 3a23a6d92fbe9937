import { RequestTimeoutError } from '../http/api-errors';

export interface MinThroughput {
  /** Fewest bytes per second (0: no minimum). */
  readonly bytesPerSecond: number;
  /** Time spent waiting for the body over which the rate is measured. */
  readonly windowMs: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * The body as it arrives, cut off with 408 when, over any `windowMs` spent waiting for it, fewer
 * than `bytesPerSecond × windowMs` bytes arrived: a trickled upload otherwise holds its list's
 * import lock (and a socket) for as long as the client likes. Only time spent waiting for the
 * client counts, not time the consumer spends storing what arrived, so a slow store cannot make a
 * fast client look slow.
 */
export async function* withMinThroughput(body: AsyncIterable<Uint8Array>, min: MinThroughput): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  if (min.bytesPerSecond === 0) {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    return;
  }
  const needed = (min.bytesPerSecond * min.windowMs) / 1000;
  let waited = 0;
  let bytes = 0;
  let pending = iterator.next();
  try {
    for (;;) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), Math.max(1, min.windowMs - waited));
      });
      const result = await Promise.race([pending, timeout]);
      clearTimeout(timer);
      waited += Date.now() - started;
      if (waited >= min.windowMs) {
        if (bytes + (result !== TIMED_OUT && !result.done ? result.value.byteLength : 0) < needed) {
          throw new RequestTimeoutError(
            `The import arrived slower than ${min.bytesPerSecond} bytes per second (IMPORT_MIN_BYTES_PER_SECOND, over ${min.windowMs} ms); nothing was added to the list`,
          );
        }
        waited = 0;
        bytes = 0;
      }
      if (result === TIMED_OUT) continue;
      if (result.done) return;
      bytes += result.value.byteLength;
      yield result.value;
      pending = iterator.next();
    }
  } finally {
    // Cut off (or abandoned by the consumer): stop reading the body. A read still waiting is left to the socket's close.
    void pending.catch(() => undefined);
    void iterator.return?.()?.catch(() => undefined);
  }
}
