import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** The whole exchange: connect, send, and the answer read to its end (not an idle timeout). */
  readonly timeoutMs: number;
  /** Resolves the host for the connection itself (a guarded lookup refuses internal addresses). */
  readonly lookup: LookupFunction;
}

/**
 * POSTs a JSON body and resolves with the status code. No redirects are followed (a redirect could
 * lead inside the network); the response body is read and dropped. The whole exchange has one
 * deadline, `timeoutMs`: a receiver that sends a byte every few seconds is cut off at it.
 */
export function postJson(url: URL, body: string, options: PostOptions): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const timedOut = () => Object.assign(new Error(`no complete answer within ${options.timeoutMs} ms`), { name: 'TimeoutError' });
    const deadline = setTimeout(() => req.destroy(timedOut()), options.timeoutMs);
    deadline.unref();
    const settle = <T>(fn: (value: T) => void) => (value: T) => {
      clearTimeout(deadline);
      fn(value);
    };
    resolve = settle(resolve);
    reject = settle(reject);
    const req = send(
      url,
      {
        method: 'POST',
        lookup: options.lookup,
        timeout: options.timeoutMs,
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body).toString() },
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(timedOut()));
    req.on('error', reject);
    req.end(body);
  });
}
