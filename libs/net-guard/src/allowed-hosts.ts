/**
 * `WEBHOOK_ALLOWED_HOSTS` (gateway and tracker alike): comma-separated host names or IP literals,
 * each allowed as a webhook target whatever it resolves to. Entries are trimmed and lower-cased,
 * and an IPv6 literal may be written with or without its brackets (`[fd00::5]` or `fd00::5`), so
 * the set holds hosts as `checkWebhookUrl` and `guardedLookup` compare them. Empty: none.
 */
export function parseAllowedHosts(raw: string | undefined): ReadonlySet<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase().replace(/^\[|\]$/g, ''))
      .filter(Boolean),
  );
}
