import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBodyDto } from '../http/error-body.dto';
import { withExamples } from './openapi-examples';

export const DOCS_PATH = 'docs';

/**
 * The HTTP API as OpenAPI 3, generated from the controllers and DTOs (decorated explicitly: the
 * Swagger CLI plugin is not in the build). Served as a page at `/docs` and as JSON at `/docs-json`.
 * The gRPC contract is the .proto in libs/contracts/proto.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Mailroom API')
    .setDescription(
      'Newsletters and bulk email. Authenticate with `Authorization: Bearer <API key>`. Every 4xx/5xx answer is ' +
        '`{ "error", "message", "field"? }`. Requests per API key are rate limited (429 with `Retry-After`). ' +
        'The same operations are served over gRPC (`mailroom.v1.Newsletters` and `mailroom.v1.Lists`, see libs/contracts/proto).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' })
    .build();
  return withExamples(SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] }), new Date());
}

/**
 * Built at boot, so a broken decorator (or a route without a request example) stops the gateway
 * instead of the first reader of the docs. Each read gets examples as of that moment: a `sendAt`
 * example must stay in the future however long the gateway runs.
 */
export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    patchDocumentOnRequest: (_request, _response, built) => withExamples(built, new Date()),
  });
}
