import { connect } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import { topology } from '@mailroom/contracts';
import { TEST_NATS_URL } from '@mailroom/testing';

/** The first lines of every part of a namespace's lists, as stored (what the splitter will read). */
export async function storedListParts(namespace: string, linesPerPart = 3): Promise<Map<string, unknown[]>> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const store = await new Objm(nc).open(topology(namespace).objectStores.listParts);
    const parts = new Map<string, unknown[]>();
    for (const info of await store.list()) {
      const data = await store.getBlob(info.name);
      const lines = new TextDecoder().decode(data ?? new Uint8Array()).split('\n').filter(Boolean);
      parts.set(info.name, lines.slice(0, linesPerPart).map((line) => JSON.parse(line) as unknown));
    }
    return parts;
  } finally {
    await nc.close();
  }
}
