import { CommonEnv, toInt } from '@mailroom/config';
import { IsInt, IsString, Max, Min } from 'class-validator';

/** Environment of the gateway. Every property is a variable; see the README's configuration table. */
export class GatewayEnv extends CommonEnv {
  override HTTP_PORT = 3000;

  /** Comma-separated API keys, each `key` or `name:key`. Required. */
  @IsString({ message: 'is required (comma-separated API keys, each "key" or "name:key")' })
  API_KEYS: string = undefined as unknown as string;

  /** Sender used when a request has no `from`. */
  @IsString()
  DEFAULT_FROM = 'Mailroom <newsletter@mailroom.localhost>';

  /** Largest request body accepted, in bytes. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1024)
  MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** Most recipients one inline request may carry. */
  @toInt()
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  MAX_INLINE_RECIPIENTS = 100_000;
}
