/** Injection token of the provisioned KV buckets and object store (`Stores`). */
export const STORES_TOKEN = Symbol('JetStreamStores');
