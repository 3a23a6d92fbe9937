import { readFileSync } from 'node:fs';
import { DkimSigningKey } from '@mailroom/mailer';
import type { ParseResult } from './smtp-providers.parser';

type ReadFile = (path: string) => string;

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const SELECTOR_PATTERN = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$/i;
const FIELDS = new Set(['domain', 'selector', 'privateKeyFile', 'privateKey']);

/**
 * Parses DKIM_KEYS: `[{"domain", "selector", "privateKeyFile"}]` (a mounted secret file) or with
 * `"privateKey"` (the PEM inline, so DKIM_KEYS itself comes from a secret). Each key is loaded and
 * checked now, so a bad key stops the boot; problems never quote a key or JSON.parse's message
 * (which quotes the input).
 */
export function parseDkimKeys(json: string, readFile: ReadFile = (path) => readFileSync(path, 'utf8')): ParseResult<DkimSigningKey[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, problems: ['DKIM_KEYS: is not valid JSON (expected a list of {"domain", "selector", "privateKeyFile"})'] };
  }
  if (!Array.isArray(raw)) return { ok: false, problems: ['DKIM_KEYS: must be a JSON list of keys'] };
  const problems: string[] = [];
  const keys: DkimSigningKey[] = [];
  raw.forEach((item: unknown, index) => {
    const at = `DKIM_KEYS[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at}: must be an object like {"domain", "selector", "privateKeyFile"}`);
      return;
    }
    const entry = item as Record<string, unknown>;
    const own: string[] = [];
    for (const field of Object.keys(entry)) if (!FIELDS.has(field)) own.push(`${at}.${field}: is not a known field`);
    const { domain, selector, privateKeyFile, privateKey } = entry;
    if (typeof domain !== 'string' || !DOMAIN_PATTERN.test(domain)) own.push(`${at}.domain: must be a domain name such as news.example.com`);
    if (typeof selector !== 'string' || !SELECTOR_PATTERN.test(selector)) own.push(`${at}.selector: must be a DNS label such as mr2026`);
    if ((privateKeyFile === undefined) === (privateKey === undefined)) {
      own.push(`${at}: set exactly one of privateKeyFile (a path) or privateKey (the PEM)`);
    }
    if (own.length > 0) {
      problems.push(...own);
      return;
    }
    const pem = loadPem(at, privateKeyFile, privateKey, readFile);
    if (!pem.ok) {
      problems.push(...pem.problems);
      return;
    }
    try {
      const key = new DkimSigningKey(domain as string, selector as string, pem.value);
      if (keys.some((k) => k.domain === key.domain)) problems.push(`${at}.domain: ${key.domain} has two keys`);
      else keys.push(key);
    } catch (error) {
      problems.push(`${at}.${privateKeyFile !== undefined ? 'privateKeyFile' : 'privateKey'}: ${(error as Error).message}`);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: keys };
}

function loadPem(at: string, file: unknown, inline: unknown, readFile: ReadFile): ParseResult<string> {
  if (inline !== undefined) {
    return typeof inline === 'string' ? { ok: true, value: inline } : { ok: false, problems: [`${at}.privateKey: must be a PEM string`] };
  }
  if (typeof file !== 'string' || file === '') return { ok: false, problems: [`${at}.privateKeyFile: must be a file path`] };
  try {
    return { ok: true, value: readFile(file) };
  } catch (error) {
    // The path is configuration, not a secret; the error code says why (ENOENT, EACCES…).
    const code = (error as { code?: unknown }).code;
    return { ok: false, problems: [`${at}.privateKeyFile: cannot read ${file} (${typeof code === 'string' ? code : 'unreadable'})`] };
  }
}
