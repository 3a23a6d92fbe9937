import { loadEnv } from '@mailroom/config';
import { ConfigValidationError } from '@mailroom/config';
import { parseFromAddress } from '../newsletters/from-address';
import { parseApiKeys, type ApiKey } from '../auth/api-keys';
import { GatewayEnv } from './gateway.env';

export interface GatewayConfig {
  readonly natsUrl: string;
  readonly namespace: string;
  readonly httpPort: number;
  readonly logLevel: string;
  readonly shutdownTimeoutMs: number;
  readonly streamReplicas: number;
  readonly apiKeys: readonly ApiKey[];
  readonly defaultFrom: string;
  readonly maxBodyBytes: number;
  readonly maxInlineRecipients: number;
}

export const GATEWAY_CONFIG = Symbol('GatewayConfig');

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const e = loadEnv(GatewayEnv, env);
  const problems: string[] = [];
  let apiKeys: ApiKey[] = [];
  try {
    apiKeys = parseApiKeys(e.API_KEYS);
  } catch (error) {
    problems.push(`API_KEYS: ${(error as Error).message}`);
  }
  const from = parseFromAddress(e.DEFAULT_FROM);
  if (!from.ok) problems.push(`DEFAULT_FROM: ${from.reason}`);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    natsUrl: e.NATS_URL,
    namespace: e.MAILROOM_NAMESPACE,
    httpPort: e.HTTP_PORT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    streamReplicas: e.STREAM_REPLICAS,
    apiKeys,
    defaultFrom: e.DEFAULT_FROM,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxInlineRecipients: e.MAX_INLINE_RECIPIENTS,
  };
}
