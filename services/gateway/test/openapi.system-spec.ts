import { ServiceProcess, TEST_API_KEY, TEST_NATS_URL, deleteNamespace, uniqueNamespace } from '@mailroom/testing';

jest.setTimeout(60_000);

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }>; headers?: Record<string, unknown> }>;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, { example?: unknown }>; required?: string[] }> };
}

/** `Mapped {/v1/newsletters/:id, GET} route` lines Nest logs at boot: the routes it actually serves. */
function mappedRoutes(output: readonly string[]): string[] {
  const routes: string[] = [];
  for (const line of output) {
    const match = /Mapped \{([^,]+), (\w+)\} route/.exec(line);
    if (match) routes.push(`${match[2]!.toLowerCase()} ${match[1]!.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes.sort();
}

describe('OpenAPI document (/docs-json) of the running gateway', () => {
  const namespace = uniqueNamespace('docs');
  let gateway: ServiceProcess;
  let document: OpenApiDocument;

  beforeAll(async () => {
    gateway = await ServiceProcess.start('gateway', {
      env: { NATS_URL: TEST_NATS_URL, MAILROOM_NAMESPACE: namespace, API_KEYS: `test:${TEST_API_KEY}` },
    });
    const res = await fetch(`${gateway.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    document = (await res.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await gateway?.stop();
    await deleteNamespace(namespace);
  });

  it('is OpenAPI 3 and lists exactly the routes Nest mapped', () => {
    expect(document.openapi).toMatch(/^3\./);
    const routes = mappedRoutes(gateway.output);
    expect(routes).toEqual(expect.arrayContaining(['post /v1/newsletters', 'get /v1/newsletters/{id}', 'get /health/ready']));
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(routes);
  });

  it('documents the error shape on every API route, and the bearer key', () => {
    const api = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/') || path === '/send-newsletter');
    expect(api.length).toBeGreaterThanOrEqual(7);
    for (const [path, operations] of api) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method} ${path}`;
        expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
        for (const status of ['400', '401', '429', '503']) {
          expect({ where, status, ref: operation.responses[status]?.content?.['application/json']?.schema?.$ref }).toEqual({
            where,
            status,
            ref: '#/components/schemas/ErrorBodyDto',
          });
        }
        expect(operation.responses['429']?.headers).toHaveProperty('Retry-After');
      }
    }
    expect(document.components.schemas['ErrorBodyDto']?.required?.sort()).toEqual(['error', 'message']);
  });

  it('describes the request body with examples, webhookUrl included', () => {
    const body = document.paths['/v1/newsletters']!['post']!.requestBody!.content['application/json']!.schema.$ref;
    expect(body).toBe('#/components/schemas/CreateNewsletterDto');
    const schema = document.components.schemas['CreateNewsletterDto']!;
    // recipients or listId (exactly one of them): neither is required on its own.
    expect(schema.required?.sort()).toEqual(['subject']);
    for (const field of ['subject', 'html', 'text', 'from', 'recipients', 'listId', 'batchSize', 'webhookUrl']) {
      expect({ field, example: schema.properties?.[field]?.example }).toEqual({ field, example: expect.anything() });
    }
  });

  it('documents the subscriber import as CSV or NDJSON, with its own answers', () => {
    const operation = document.paths['/v1/lists/{id}/subscribers']!['post']!;
    expect(Object.keys(operation.requestBody!.content).sort()).toEqual(['application/x-ndjson', 'text/csv']);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(operation.responses['200']?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/ImportResultDto');
  });

  it('serves the page at /docs', async () => {
    const res = await fetch(`${gateway.baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger');
  });
});
