import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EventCatalog, type EventName } from '@mailroom/contracts';
import { InvalidPayloadError } from './handler-errors';

const decoder = new TextDecoder();

/** Parses and validates a message body against its event's contract class. */
export function decodePayload(event: EventName, data: Uint8Array): object {
  let plain: unknown;
  try {
    plain = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new InvalidPayloadError(`${event}: body is not JSON`, { cause: error });
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new InvalidPayloadError(`${event}: body is not a JSON object`);
  }
  // Which event arrived is only known at run time: any payload class of the catalog.
  const payloadClass: new () => object = EventCatalog[event].payload;
  const instance = plainToInstance(payloadClass, plain);
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new InvalidPayloadError(`${event}: ${errors.flatMap((e) => describe(e, '')).slice(0, 5).join('; ')}`);
  }
  return instance;
}

function describe(error: ValidationError, prefix: string): string[] {
  const path = `${prefix}${error.property}`;
  const own = Object.values(error.constraints ?? {}).map((m) => `${path}: ${m}`);
  return [...own, ...(error.children ?? []).flatMap((c) => describe(c, `${path}.`))];
}
