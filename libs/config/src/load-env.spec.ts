import { IsOptional, IsString } from 'class-validator';
import { CommonEnv } from './common-env.schema';
import { ConfigValidationError } from './config-validation.error';
import { envVariableNames, loadEnv, requiredEnvVariableNames } from './load-env';

class TestEnv extends CommonEnv {
  override HTTP_PORT = 4000;

  @IsString({ message: 'is required' })
  SECRET: string = undefined as unknown as string;

  @IsOptional()
  @IsString()
  OPTIONAL_SECRET?: string = undefined;
}

describe('loadEnv', () => {
  it('applies defaults and converts numbers', () => {
    const env = loadEnv(TestEnv, { SECRET: 's', HTTP_PORT: '8080' });
    expect(env).toMatchObject({ NATS_URL: 'nats://127.0.0.1:4222', MAILROOM_NAMESPACE: 'mailroom', HTTP_PORT: 8080, SECRET: 's' });
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv(TestEnv, { SECRET: 's', HTTP_PORT: '' }).HTTP_PORT).toBe(4000);
  });

  it('lists every bad variable at once, without echoing values', () => {
    let error: unknown;
    try {
      loadEnv(TestEnv, { HTTP_PORT: 'eighty', MAILROOM_NAMESPACE: 'Bad.Name', LOG_LEVEL: 'loud', NATS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.join('\n');
    for (const name of ['HTTP_PORT', 'MAILROOM_NAMESPACE', 'LOG_LEVEL', 'NATS_URL', 'SECRET']) expect(problems).toContain(name);
    expect(problems).not.toContain('eighty');
  });

  it('knows the names of every variable of a schema, and which ones are required', () => {
    expect(envVariableNames(TestEnv)).toEqual(
      [
        'BOOT_TIMEOUT_MS',
        'HTTP_PORT',
        'LOG_LEVEL',
        'MAILROOM_NAMESPACE',
        'NATS_URL',
        'OPTIONAL_SECRET',
        'RECIPIENT_EVENTS',
        'RECIPIENT_EVENTS_MAX_AGE_HOURS',
        'RECIPIENT_EVENTS_MAX_BYTES',
        'SECRET',
        'SHUTDOWN_TIMEOUT_MS',
        'STREAM_REPLICAS',
      ].sort(),
    );
    expect(requiredEnvVariableNames(TestEnv)).toEqual(['SECRET']);
  });
});
