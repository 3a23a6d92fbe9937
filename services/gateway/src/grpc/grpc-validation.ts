import { Injectable, type ValidationPipe } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { ValidationFailedError } from '../http/api-errors';
import { createValidationPipe } from '../http/validation.pipe';

/**
 * gRPC requests go through the HTTP API's own validation (the same DTO classes and the same pipe),
 * so a field is judged alike on both and an error names it the same way (`recipients[3].email`).
 */
@Injectable()
export class GrpcValidation {
  private readonly pipe: ValidationPipe = createValidationPipe();

  async body<T extends object>(dto: new () => T, value: Record<string, unknown>): Promise<T> {
    return (await this.pipe.transform(value, { type: 'body', metatype: dto })) as T;
  }

  async query<T extends object>(dto: new () => T, value: Record<string, unknown>): Promise<T> {
    const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
    return (await this.pipe.transform(defined, { type: 'query', metatype: dto })) as T;
  }

  /** One text metadata value, or undefined when absent; several values for one key are refused. */
  singleMetadata(metadata: Metadata, key: string): string | undefined {
    const values = metadata.get(key);
    if (values.length === 0) return undefined;
    if (values.length > 1 || typeof values[0] !== 'string') {
      throw new ValidationFailedError(`${key} metadata must be given once, as text`, key);
    }
    return values[0];
  }
}
