export { blockedRangeOf, parseIpv6 } from './ip-ranges';
export { checkWebhookUrl, type ResolveHost, type WebhookUrlRules, type WebhookUrlVerdict } from './webhook-url';
export { guardedLookup, BlockedAddressError } from './guarded-lookup';
export { parseAllowedHosts } from './allowed-hosts';
