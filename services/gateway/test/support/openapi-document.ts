/** The parts of the served OpenAPI document the example tests read. */
export interface ErrorExample {
  readonly error: string;
  readonly message: string;
  readonly field?: string;
}

interface MediaType {
  readonly schema?: { readonly $ref?: string };
  readonly example?: unknown;
  readonly examples?: Readonly<Record<string, { readonly summary?: string; readonly value: unknown }>>;
}

interface OperationObject {
  readonly security?: readonly unknown[];
  readonly requestBody?: { readonly content: Readonly<Record<string, MediaType>> };
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, MediaType>> }>>;
}

export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OperationObject>>>>;
}

/** One operation of the document: `post /v1/lists/{id}/subscribers`. */
export interface Operation {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly authenticated: boolean;
  /** Media type → named examples of the request body. */
  readonly bodies: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** The 2xx statuses it documents. */
  readonly successes: readonly number[];
  /** Documented error statuses with their example answers. */
  readonly errors: ReadonlyMap<number, ErrorExample>;
}

const ERROR_BODY = '#/components/schemas/ErrorBodyDto';

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const bodies = new Map<string, Map<string, unknown>>();
      for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
        bodies.set(mediaType, new Map(Object.entries(media.examples ?? {}).map(([name, example]) => [name, example.value])));
      }
      const errors = new Map<number, ErrorExample>();
      const successes: number[] = [];
      for (const [status, response] of Object.entries(operation.responses)) {
        const code = Number(status);
        if (code >= 200 && code < 300) successes.push(code);
        const json = response.content?.['application/json'];
        if (code >= 400 && json?.schema?.$ref === ERROR_BODY) errors.set(code, json.example as ErrorExample);
      }
      return { key: `${method} ${path}`, method, path, authenticated: (operation.security ?? []).length > 0, bodies, successes, errors };
    }),
  );
}

/** The request body as the media type carries it. */
export function encodeBody(mediaType: string, value: unknown): string {
  if (mediaType === 'application/json') return JSON.stringify(value);
  if (mediaType === 'application/x-www-form-urlencoded') return new URLSearchParams(value as Record<string, string>).toString();
  return String(value);
}

/** The path with its parameters filled in. */
export function fillPath(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${path}`);
    return encodeURIComponent(value);
  });
}
