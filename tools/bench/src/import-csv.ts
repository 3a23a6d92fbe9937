import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A subscriber CSV of `rows` rows on disk (`email,name,city`, every address unique), written
 * once and reused: the benchmark uploads it from disk as a stream, as a user would.
 */
export async function subscriberCsv(path: string, rows: number): Promise<{ path: string; bytes: number }> {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    out.write('email,name,city\n');
    for (let i = 0; i < rows; i += 1) {
      if (!out.write(`reader${i}@example.org,Reader ${i},City ${i % 100}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  return { path, bytes: statSync(path).size };
}
