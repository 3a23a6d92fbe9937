/**
 * A request URL as logs may show it: the path, and each query parameter's name with its value
 * replaced. A key passed as `?api_key=…` (or a token in any other parameter) never reaches a log.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const hash = url.indexOf('#', query);
  const search = url.slice(query + 1, hash === -1 ? undefined : hash);
  const names = search
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const name = pair.split('=', 1)[0]!;
      return `${name.length > 64 ? `${name.slice(0, 64)}…` : name}=[redacted]`;
    });
  return `${url.slice(0, query)}?${names.join('&')}`;
}
