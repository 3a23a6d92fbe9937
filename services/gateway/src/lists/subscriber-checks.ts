import { checkRecipientVars, normalizeAddress } from '@mailroom/contracts';

/** One subscriber as a list part stores it (one NDJSON line): the address already normalised. */
export interface Subscriber {
  readonly email: string;
  readonly name?: string;
  readonly vars?: Record<string, string>;
}

export type RowResult = { readonly ok: true; readonly subscriber: Subscriber } | { readonly ok: false; readonly reason: string };

export const MAX_NAME_CHARS = 256;
// The same characters a newsletter's inline recipient names may not hold: names end up in headers.
const LINE_BREAKING = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/;

export const reject = (reason: string): RowResult => ({ ok: false, reason });

/**
 * The checks every imported row passes, CSV or NDJSON: the address by the splitter's own rules
 * (`normalizeAddress`, whose result is also the de-duplication key), a one-line name, and merge
 * fields within RECIPIENT_VARS_LIMITS. Empty names and vars are left out.
 */
export function checkSubscriber(email: unknown, name: unknown, vars: Record<string, string> | undefined): RowResult {
  if (email === undefined || email === null || email === '') return reject('email is missing');
  if (typeof email !== 'string') return reject('email must be text');
  const address = normalizeAddress(email);
  if (!address.ok) return reject(`invalid email: ${address.reason}`);

  let cleanName: string | undefined;
  if (name !== undefined && name !== null) {
    if (typeof name !== 'string') return reject('name must be text');
    cleanName = name.trim();
    if (cleanName.length > MAX_NAME_CHARS) return reject(`name is longer than ${MAX_NAME_CHARS} characters`);
    if (LINE_BREAKING.test(cleanName)) return reject('name must not contain line breaks or control characters');
  }
  if (vars !== undefined) {
    const problem = checkRecipientVars(vars);
    if (problem) return reject(`custom columns: ${problem}`);
  }
  const hasVars = vars !== undefined && Object.keys(vars).length > 0;
  return {
    ok: true,
    subscriber: {
      email: address.email,
      ...(cleanName ? { name: cleanName } : {}),
      ...(hasVars ? { vars } : {}),
    },
  };
}
