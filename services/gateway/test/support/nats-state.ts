import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import { ContentObjects, topology, type NewsletterContent } from '@mailroom/contracts';
import { TEST_NATS_URL } from '@mailroom/testing';

/** What a namespace holds of newsletters: requests published, records and content objects stored. */
export interface NewsletterTraces {
  readonly requestsPublished: number;
  readonly newsletterRecords: string[];
  readonly contentObjects: number;
}

export async function newsletterTraces(namespace: string): Promise<NewsletterTraces> {
  const t = topology(namespace);
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const kv = await new Kvm(nc).open(t.buckets.newsletters);
    const newsletterRecords: string[] = [];
    for await (const key of await kv.keys()) newsletterRecords.push(key);
    return {
      requestsPublished: (await jsm.streams.info(t.streams.requests)).state.messages,
      newsletterRecords,
      contentObjects: (await jsm.streams.info(`OBJ_${t.objectStores.content}`)).state.messages,
    };
  } finally {
    await nc.close();
  }
}

/** The body of a newsletter as the gateway stored it (what the sender and the notifier read). */
export async function storedContent(namespace: string, newsletterId: string): Promise<NewsletterContent | null> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const store = await new Objm(nc).open(topology(namespace).objectStores.content);
    const data = await store.getBlob(ContentObjects.content(newsletterId));
    return data === null ? null : (JSON.parse(new TextDecoder().decode(data)) as NewsletterContent);
  } finally {
    await nc.close();
  }
}
