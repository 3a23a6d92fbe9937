import { createReadStream } from 'node:fs';
import { request } from 'node:http';

/** POSTs a file as a chunked stream and resolves with the status and the parsed answer. */
export function uploadFile<T>(url: string, path: string, contentType: string, apiKey: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T }));
      res.on('error', reject);
    });
    req.on('error', reject);
    createReadStream(path, { highWaterMark: 64 * 1024 }).on('error', reject).pipe(req);
  });
}
