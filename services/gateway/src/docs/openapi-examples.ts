import type { OpenAPIObject } from '@nestjs/swagger';
import type { ErrorBody } from '../http/api-error.filter';

/** A named example of a request body, as OpenAPI's `examples` holds it. */
export interface NamedExample {
  readonly summary: string;
  readonly value: unknown;
}

/** `<method> <path>` as the document spells it: `post /v1/lists/{id}/subscribers`. */
type OperationKey = string;

const LIST_ID = '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00';
const NEWSLETTER_ID = '7f0c2a9e-5b1d-4c3e-8f6a-2d9b1e4c7a10';

/** A `sendAt` that is always valid when the document is read: tomorrow at 09:00 UTC. */
export function futureSendAt(now: Date): string {
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9));
  return tomorrow.toISOString().replace('.000Z', 'Z');
}

/**
 * The example bodies of every operation that takes one, per media type. The first of each is what
 * "Try it out" on /docs sends; each works as it is against a gateway with the default settings
 * (no `from`, so `DEFAULT_FROM`; no `webhookUrl`, which must resolve), except where its summary
 * says what to put in first. test/openapi-examples.system-spec.ts posts every one of them.
 */
export function requestExamples(now: Date): Readonly<Record<OperationKey, Readonly<Record<string, Readonly<Record<string, NamedExample>>>>>> {
  const html = '<h1>Hello {{ name | default: "reader" }}</h1><p>What happened in {{ city | default: "town" }} this month…</p>';
  return {
    'post /v1/newsletters': {
      'application/json': {
        inline: {
          summary: 'To recipients given inline',
          value: {
            subject: 'November news',
            html,
            text: 'Hello {{ name | default: "reader" }}. What happened this month…',
            recipients: ['ann@example.org', { email: 'bob@example.org', name: 'Bob', vars: { city: 'Lyon' } }],
            batchSize: 100,
          },
        },
        scheduled: {
          summary: 'Scheduled: starts at sendAt (in the future, within a year)',
          value: { subject: 'November news', text: 'Hello. What happened this month…', recipients: ['ann@example.org'], sendAt: futureSendAt(now) },
        },
        list: {
          summary: 'To a subscriber list: put in the id of a list you created and imported into (POST /v1/lists)',
          value: { subject: 'November news', html, listId: LIST_ID },
        },
      },
    },
    'post /v1/newsletters/test': {
      'application/json': {
        test: { summary: 'A test to the editor', value: { subject: '[Test] November news', html, recipients: ['editor@example.org'] } },
      },
    },
    'post /send-newsletter': {
      'application/json': {
        tutorial: {
          summary: 'The tutorial request shape',
          value: { subject: 'November news', content: '<p>Hello</p>', subscriberList: ['ann@example.org', 'bob@example.org'] },
        },
      },
    },
    'post /v1/lists': {
      'application/json': { list: { summary: 'A new, empty list', value: { name: 'Monthly readers' } } },
    },
    'post /v1/lists/{id}/subscribers': {
      'text/csv': {
        csv: { summary: 'CSV: a header row, then one subscriber per row', value: 'email,name,city\nann@example.org,Ann,Oslo\nbob@example.org,,Lyon\n' },
      },
      'application/x-ndjson': {
        ndjson: {
          summary: 'NDJSON: one subscriber per line',
          value: '{"email":"ann@example.org","name":"Ann","city":"Oslo"}\n{"email":"bob@example.org","city":"Lyon"}\n',
        },
      },
    },
    'patch /v1/lists/{id}': {
      'application/json': { rename: { summary: 'A new name', value: { name: 'Monthly readers (Nordics)' } } },
    },
    'patch /v1/lists/{id}/subscribers/{email}': {
      'application/json': {
        fields: { summary: 'Set one merge field, remove another', value: { vars: { city: 'Bergen', plan: null } } },
        name: { summary: 'A new name (null removes it)', value: { name: 'Carol B.' } },
      },
    },
    'post /v1/suppressions': {
      'application/json': { manual: { summary: 'Suppress an address by hand', value: { email: 'ann@example.org', reason: 'manual' } } },
    },
    'post /unsubscribe/{token}': {
      'application/x-www-form-urlencoded': {
        oneClick: { summary: 'What a mail client sends for one-click unsubscribe (RFC 8058)', value: { 'List-Unsubscribe': 'One-Click' } },
      },
    },
  };
}

/** What the resource of a path is called in its errors. */
function resourceOf(path: string): { notFound: string; badParam: ErrorBody } {
  if (path.startsWith('/v1/lists/') && path.endsWith('/{email}')) {
    return { notFound: `This address is not a subscriber of list ${LIST_ID}`, badParam: { error: 'validation_failed', message: 'id must be a list id (a UUID)', field: 'id' } };
  }
  if (path.startsWith('/v1/subscribers/')) {
    return {
      notFound: 'This address is held nowhere',
      badParam: { error: 'validation_failed', message: 'email must be a valid email address (missing "@")', field: 'email' },
    };
  }
  if (path.startsWith('/v1/lists/')) {
    return { notFound: `No list with id ${LIST_ID}`, badParam: { error: 'validation_failed', message: 'id must be a list id (a UUID)', field: 'id' } };
  }
  if (path.startsWith('/v1/dead-letters/')) {
    return { notFound: 'No dead letter with id 12', badParam: { error: 'validation_failed', message: 'id must be a whole number', field: 'id' } };
  }
  if (path.startsWith('/v1/suppressions/')) {
    return {
      notFound: 'This address is not on the suppression list',
      badParam: { error: 'validation_failed', message: 'email must be a valid email address (missing "@")', field: 'email' },
    };
  }
  return {
    notFound: `No newsletter with id ${NEWSLETTER_ID}`,
    badParam: { error: 'validation_failed', message: 'id must be a newsletter id (a UUID)', field: 'id' },
  };
}

/** The 400 of an operation: about its body when it has one, else about its path or query. */
function invalidInput(operation: OperationKey, hasBody: boolean, path: string): ErrorBody {
  const bodies: Readonly<Record<OperationKey, ErrorBody>> = {
    'post /v1/newsletters': { error: 'validation_failed', message: 'recipients[3].email must be a single bare email address', field: 'recipients[3].email' },
    'post /v1/newsletters/test': { error: 'validation_failed', message: 'recipients: a test goes to at most 10 addresses', field: 'recipients' },
    'post /send-newsletter': { error: 'validation_failed', message: 'subscriberList must contain single bare email addresses', field: 'subscriberList' },
    'post /v1/lists': { error: 'validation_failed', message: 'name should not be empty', field: 'name' },
    'post /v1/lists/{id}/subscribers': { error: 'validation_failed', message: 'CSV header row: there is no "email" column', field: 'body' },
    'post /v1/suppressions': { error: 'validation_failed', message: 'email must be a valid email address (missing "@")', field: 'email' },
  };
  if (hasBody && bodies[operation]) return bodies[operation];
  if (path.includes('{')) return resourceOf(path).badParam;
  return { error: 'validation_failed', message: 'limit must not be greater than 1000', field: 'limit' };
}

function conflict(operation: OperationKey, path: string): ErrorBody {
  if (operation === 'post /v1/newsletters') {
    return { error: 'conflict', message: 'This Idempotency-Key was already used with a different request', field: 'Idempotency-Key' };
  }
  if (operation === 'post /v1/newsletters/test') {
    return { error: 'conflict', message: 'recipients: every recipient is suppressed, nothing was sent (editor@example.org on the tenant list)', field: 'recipients' };
  }
  if (path.startsWith('/v1/subscribers/') || (path.startsWith('/v1/lists/') && operation !== 'post /v1/lists/{id}/subscribers')) {
    return {
      error: 'conflict',
      message: `List ${LIST_ID} is read by newsletter ${NEWSLETTER_ID}, which has not settled; delete it once it has settled, or cancel it. Nothing was changed.`,
    };
  }
  if (path.startsWith('/v1/lists/')) {
    return { error: 'conflict', message: 'Another import to this list is running; imports to one list run one at a time. Try again when it has finished.' };
  }
  if (path.startsWith('/v1/dead-letters/')) return { error: 'conflict', message: 'Dead letter 12 is not counted yet; try again in a few seconds' };
  if (path.startsWith('/v1/suppressions')) return { error: 'conflict', message: 'The suppression of this address changed meanwhile; try again' };
  if (path.endsWith('/retry-failed')) return { error: 'conflict', message: `Newsletter ${NEWSLETTER_ID} is still sending; retry when it has settled` };
  if (path.endsWith('/resume')) return { error: 'conflict', message: `Newsletter ${NEWSLETTER_ID} is sending, not paused` };
  return { error: 'conflict', message: `Newsletter ${NEWSLETTER_ID} has already settled (completed)` };
}

/** The scope named by an operation's 403 example (see RequiresScope on the route). */
function scopeExampleOf(operation: OperationKey): string {
  if (operation === 'post /v1/dead-letters/{id}/redrive') return '"admin"';
  if (operation === 'get /v1/dead-letters' || operation === 'get /v1/suppressions') return '"read" or "admin"';
  if (operation.startsWith('get ')) return '"read"';
  if (operation.includes('/v1/suppressions')) return '"send" or "admin"';
  return '"send"';
}

/** The example answer of one documented error status of one operation. */
export function errorExample(status: number, operation: OperationKey, hasBody: boolean): ErrorBody {
  const path = operation.slice(operation.indexOf(' ') + 1);
  const isImport = path === '/v1/lists/{id}/subscribers';
  switch (status) {
    case 400:
      return invalidInput(operation, hasBody, path);
    case 401:
      return { error: 'unauthorized', message: 'Missing "authorization: Bearer <key>"' };
    case 403:
      if (operation === 'post /v1/newsletters' || operation === 'post /v1/newsletters/test') {
        return { error: 'forbidden', message: 'from: news@elsewhere.example is not an allowed sender address (ALLOWED_FROM)', field: 'from' };
      }
      return { error: 'forbidden', message: `This API key (reader) lacks the ${scopeExampleOf(operation)} scope` };
    case 404:
      // POST /v1/newsletters: the subscriber list named by listId.
      if (!path.includes('{')) return { error: 'not_found', message: `No list with id ${LIST_ID}`, field: 'listId' };
      return { error: 'not_found', message: resourceOf(path).notFound };
    case 409:
      return conflict(operation, path);
    case 413:
      return isImport
        ? { error: 'payload_too_large', message: 'The import is larger than the limit of 1073741824 bytes (MAX_IMPORT_BYTES); split it into several imports' }
        : { error: 'payload_too_large', message: 'Request body is larger than the limit of 10485760 bytes' };
    case 415:
      return isImport
        ? { error: 'unsupported_media_type', message: 'Subscribers are imported as CSV (Content-Type: text/csv, a header row with an "email" column) or NDJSON (Content-Type: application/x-ndjson), not "text/plain"' }
        : { error: 'unsupported_media_type', message: 'Request body must be JSON (Content-Type: application/json)' };
    case 422:
      return { error: 'unprocessable', message: 'Dead letter 12 is not a readable batch (its body is not JSON); it cannot be re-driven' };
    case 429:
      return { error: 'rate_limited', message: 'Rate limit of 600 requests per minute (bursts of 60) reached for this API key; retry in 1 s' };
    case 503:
      return { error: 'service_unavailable', message: 'NATS or the tracker is unavailable right now; nothing was changed. Try again.' };
    default:
      return { error: 'internal', message: 'Internal error' };
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const ERROR_BODY_REF = '#/components/schemas/ErrorBodyDto';

interface MediaType {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, NamedExample>;
}
interface Operation {
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}

/**
 * The document with its examples: a named example of every request body (throws, at boot, for a
 * body without one, or an example of an operation that no longer exists), an example of each
 * documented error answer that fits the operation and the status (not one for all), and `sendAt`
 * examples in the future as of `now`. Returns a copy; `document` is left as it is.
 */
export function withExamples(document: OpenAPIObject, now: Date): OpenAPIObject {
  const copy = structuredClone(document);
  const examples = requestExamples(now);
  const used = new Set<string>();
  const missing: string[] = [];
  for (const [path, item] of Object.entries(copy.paths)) {
    for (const method of METHODS) {
      const operation = (item as Partial<Record<(typeof METHODS)[number], Operation>>)[method];
      if (!operation) continue;
      const key = `${method} ${path}`;
      const bodies = operation.requestBody?.content ?? {};
      for (const [mediaType, media] of Object.entries(bodies)) {
        const named = examples[key]?.[mediaType];
        if (!named) {
          missing.push(`${key} (${mediaType})`);
          continue;
        }
        used.add(`${key} ${mediaType}`);
        media.examples = { ...named };
        delete media.example;
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (Number(status) >= 400 && json?.schema?.$ref === ERROR_BODY_REF) {
          json.example = errorExample(Number(status), key, Object.keys(bodies).length > 0);
        }
      }
    }
  }
  const stale = Object.entries(examples).flatMap(([key, byMedia]) => Object.keys(byMedia).filter((m) => !used.has(`${key} ${m}`)).map((m) => `${key} (${m})`));
  if (missing.length > 0 || stale.length > 0) {
    throw new Error(
      `OpenAPI examples (services/gateway/src/docs/openapi-examples.ts) do not match the routes: ` +
        [missing.length > 0 ? `no example for ${missing.join(', ')}` : '', stale.length > 0 ? `an example for no route: ${stale.join(', ')}` : '']
          .filter(Boolean)
          .join('; '),
    );
  }
  const sendAt = (copy.components?.schemas?.['CreateNewsletterDto'] as { properties?: Record<string, { example?: unknown }> } | undefined)?.properties?.['sendAt'];
  if (sendAt) sendAt.example = futureSendAt(now);
  return copy;
}
