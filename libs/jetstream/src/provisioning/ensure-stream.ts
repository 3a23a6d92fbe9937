import {
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';

/**
 * Creates a stream, or brings an existing one's mutable settings (subjects, limits) in line.
 * Safe to run from every replica at boot, at the same time.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  desired: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const existing = await streamConfig(jsm, desired.name);
  if (!existing) {
    try {
      await jsm.streams.add(desired);
      return;
    } catch (error) {
      // Another replica created it between our lookup and our add: fall through to compare.
      if (!(await streamConfig(jsm, desired.name))) throw error;
    }
  }
  const current = (await streamConfig(jsm, desired.name))!;
  const drift = Object.entries(desired).filter(([key, value]) => !sameValue(current[key as keyof StreamConfig], value));
  if (drift.length === 0) return;
  if (current.retention !== desired.retention && desired.retention !== undefined) {
    throw new Error(
      `Stream ${desired.name} exists with retention "${current.retention}", expected "${desired.retention}"; it cannot be changed in place`,
    );
  }
  await jsm.streams.update(desired.name, { ...current, ...desired });
}

async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.status === 404) return undefined;
    throw error;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = (a as unknown[]).map(String).sort();
    const right = (b as unknown[]).map(String).sort();
    return left.length === right.length && left.every((v, i) => v === right[i]);
  }
  return a === b;
}
