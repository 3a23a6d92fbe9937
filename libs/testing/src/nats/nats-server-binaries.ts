import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../processes/repo-root';

export interface NatsServerBinary {
  /** What `--version` printed, e.g. `v2.9.10`. */
  readonly version: string;
  /** The path (or a name on the PATH) to run. */
  readonly path: string;
}

/** The folder `tools/nats/fetch-nats-server.sh` unpacks a 2.10 server into by default. */
const FETCHED_2_10 = ['root/usr/sbin/nats-server', 'root/usr/bin/nats-server'];

/**
 * The nats-server the tests run by default: `NATS_SERVER_BIN`, else `nats-server` on the PATH
 * (Debian's 2.9.10 on our machines and in CI). Undefined when it does not run.
 */
export function defaultNatsServerBinary(): NatsServerBinary | undefined {
  return natsServerBinaryAt(process.env['NATS_SERVER_BIN'] || 'nats-server');
}

/**
 * Every nats-server the cluster tests should run against: the default one always (a missing one
 * is an error: the tests cannot run without it), and beside it the 2.10 server that
 * `tools/nats/fetch-nats-server.sh` unpacks into `tmp/nats-2.10` when it is there. One entry per
 * version.
 */
export function natsServerBinaries(): NatsServerBinary[] {
  const first = defaultNatsServerBinary();
  if (!first) {
    throw new Error(
      `nats-server not found: set NATS_SERVER_BIN or put nats-server on the PATH (tried "${process.env['NATS_SERVER_BIN'] || 'nats-server'}")`,
    );
  }
  const found = [first];
  const fetched = FETCHED_2_10.map((p) => join(repoRoot(), 'tmp', 'nats-2.10', p)).find((p) => existsSync(p));
  const second = fetched ? natsServerBinaryAt(fetched) : undefined;
  if (second && second.version !== first.version) found.push(second);
  return found;
}

/** The server at `path` with its version, or undefined when it does not run. */
export function natsServerBinaryAt(path: string): NatsServerBinary | undefined {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  const version = /v\d+\.\d+\.\d+\S*/.exec(`${run.stdout}${run.stderr}`)?.[0];
  return version ? { version, path } : undefined;
}
