import type { Request } from 'express';

/** `POST /v1/lists/:id/subscribers`: its body is streamed by the import, never by a body parser. */
const IMPORT_PATH = /^\/v1\/lists\/[^/]+\/subscribers\/?$/;

export function isSubscriberImport(request: Request): boolean {
  return request.method === 'POST' && IMPORT_PATH.test(request.path);
}
