import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Resolves the host for the connection itself (a guarded lookup refuses internal addresses). */
  readonly lookup: LookupFunction;
}

/**
 * POSTs a JSON body and resolves with the status code. No redirects are followed (a redirect could
 * lead inside the network); the response body is read and dropped.
 */
export function postJson(url: URL, body: string, options: PostOptions): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
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
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(body);
  });
}
