export { checkWebhookUrl, type ResolveHost, type WebhookUrlRules } from './webhook-url';
export { guardedLookup, BlockedAddressError } from './guarded-lookup';
export { parseAllowedHosts } from './allowed-hosts';
