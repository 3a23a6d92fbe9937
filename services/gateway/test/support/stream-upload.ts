import { createReadStream } from 'node:fs';
import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { TEST_API_KEY } from '@mailroom/testing';

export interface UploadResponse<T> {
  readonly status: number;
  readonly body: T;
}

/**
 * POSTs a body as a stream (chunked, no Content-Length, as a large upload is sent), from a file or
 * any readable: the gateway sees it arrive piece by piece, never as one buffer.
 */
export function streamUpload<T = unknown>(
  url: string,
  body: string | Readable,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<UploadResponse<T>> {
  const source = typeof body === 'string' ? createReadStream(body, { highWaterMark: 64 * 1024 }) : body;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': contentType, ...headers } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
        });
        res.on('error', reject);
      },
    );
    // A server that answers before the upload is over (413) may close the socket under it: the
    // answer is what counts, not the rest of the upload.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    source.on('error', reject);
    source.pipe(req);
  });
}
