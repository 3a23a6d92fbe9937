import { addressHash } from '../newsletters/ledger-entry';

/**
 * The identity of a mailbox: one key for every way of writing the same address. Takes an address
 * already normalised (`normalizeAddress`: trimmed, domain lower-cased and IDNA-encoded) and
 * lower-cases its local part too. RFC 5321 lets a server treat local parts case-sensitively, but
 * no mailbox provider does, and people write their address as they please: `Reader6@example.org`
 * and `reader6@example.org` are one person to unsubscribe, suppress, de-duplicate and erase. The
 * address is still sent as written; only comparisons use this key.
 */
export function mailboxKey(normalisedAddress: string): string {
  const at = normalisedAddress.lastIndexOf('@');
  const local = normalisedAddress.slice(0, at);
  // Local parts are ASCII (normalizeAddress refuses the rest): lower-casing is locale-free.
  return local === local.toLowerCase() ? normalisedAddress : `${local.toLowerCase()}${normalisedAddress.slice(at)}`;
}

/**
 * THE suppression key of an address (KV bucket `suppressions`): the hash of its mailbox key, so
 * an opt-out holds whatever the case of a later send. Every read and write of a suppression goes
 * through here. Keys written before mailbox keys existed hashed the address as written; see
 * `SuppressionRecords.upgradeKeys` for their migration.
 */
export function suppressionKey(normalisedAddress: string): string {
  return addressHash(mailboxKey(normalisedAddress));
}
