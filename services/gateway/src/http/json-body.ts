import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ApiError, MalformedBodyError, PayloadTooLargeError, RequestTimeoutError } from './api-errors';

export interface JsonBodyLimits {
  /** Largest body, in bytes, on the wire and again once decompressed (MAX_BODY_BYTES). */
  readonly maxBytes: number;
  /** Most a compressed body may grow when inflated (MAX_INFLATE_RATIO). */
  readonly maxInflateRatio: number;
  /** Time to receive the whole body (HTTP_BODY_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** Deepest nesting of objects and arrays (JSON_MAX_DEPTH). */
  readonly maxDepth: number;
}

/** A decompressed body may always reach this much, whatever its ratio (tiny bodies compress well). */
const RATIO_FLOOR_BYTES = 64 * 1024;

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new MalformedBodyError(`Request body must be UTF-8 JSON, uncompressed or with Content-Encoding gzip, deflate or br (not "${encoding.slice(0, 40)}")`);
  }
}

/**
 * Reads a request's body as text under the limits: the wire size and the decompressed size are
 * counted as the bytes arrive (a gzip bomb is stopped at `maxBytes` of output, or as soon as it
 * inflates more than `maxInflateRatio` times), and the whole body must arrive within `timeoutMs`
 * (a body trickled a byte at a time is cut off). Never holds more than `maxBytes` of body.
 */
export function readBodyText(req: IncomingMessage, limits: JsonBodyLimits): Promise<string> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge = () => new PayloadTooLargeError(`Request body is larger than the limit of ${limits.maxBytes} bytes`);
  if (declared > limits.maxBytes) return Promise.reject(tooLarge());
  let decoder: Transform | null;
  try {
    decoder = decoderFor(encoding);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new MalformedBodyError(String(error)));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let inflated = 0;
    let settled = false;
    const timer = setTimeout(() => fail(new RequestTimeoutError(`Request body did not arrive within ${limits.timeoutMs} ms (HTTP_BODY_TIMEOUT_MS)`)), limits.timeoutMs);
    timer.unref();

    const cleanUp = () => {
      clearTimeout(timer);
      req.off('data', onWire);
      req.off('end', onWireEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      decoder?.removeAllListeners('data');
      decoder?.removeAllListeners('end');
      decoder?.on('error', () => undefined);
    };
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      cleanUp();
      decoder?.destroy();
      // Stop reading; the answer closes the connection (the rest of the body is never read).
      req.pause();
      reject(error);
    }
    const onOutput = (chunk: Buffer) => {
      inflated += chunk.byteLength;
      if (inflated > limits.maxBytes) return fail(tooLarge());
      if (decoder && inflated > RATIO_FLOOR_BYTES && inflated > wire * limits.maxInflateRatio) {
        return fail(new PayloadTooLargeError(`Request body inflates more than ${limits.maxInflateRatio} times its compressed size (MAX_INFLATE_RATIO)`));
      }
      chunks.push(chunk);
    };
    const done = () => {
      if (settled) return;
      settled = true;
      cleanUp();
      resolve(Buffer.concat(chunks, inflated).toString('utf8'));
    };
    const onWire = (chunk: Buffer) => {
      wire += chunk.byteLength;
      if (wire > limits.maxBytes) return fail(tooLarge());
      if (decoder) decoder.write(chunk);
      else onOutput(chunk);
    };
    const onWireEnd = () => {
      if (!decoder) return done();
      decoder.end();
    };
    const onError = (error: Error) => fail(error instanceof ApiError ? error : new MalformedBodyError('Request body could not be read (check Content-Encoding and Content-Length)'));
    const onAborted = () => fail(new MalformedBodyError('Request body ended early (the client went away)'));

    if (decoder) {
      decoder.on('data', onOutput);
      decoder.on('end', done);
      decoder.on('error', () => fail(new MalformedBodyError(`Request body could not be read: it is not valid ${encoding} (check Content-Encoding)`)));
    }
    req.on('data', onWire);
    req.on('end', onWireEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * True when `text` nests objects and arrays deeper than `maxDepth`. A linear scan that skips
 * strings, run before JSON.parse: a body nested 10,000 deep parses, but then overflows the stack
 * of whatever walks it (validation, class-transformer), which answered 500.
 */
export function jsonNestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** The body parsed as a JSON object (or array, refused later by its caller); 400 naming the problem otherwise. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  // Strict, as body-parser was: only an object or an array is a request body.
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) throw new MalformedBodyError('Request body is not valid JSON');
  if (jsonNestedDeeperThan(trimmed, maxDepth)) {
    throw new MalformedBodyError(`Request body nests objects and arrays more than ${maxDepth} deep (JSON_MAX_DEPTH)`);
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new MalformedBodyError('Request body is not valid JSON');
  }
}
