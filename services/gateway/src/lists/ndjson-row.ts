import { checkVarName } from '@mailroom/contracts';
import { checkSubscriber, reject, type RowResult } from './subscriber-checks';

/**
 * One NDJSON line (`{"email", "name"?, "vars"?: {…}, …columns}`) as a subscriber. Every other
 * key is a merge field: text as is, numbers and booleans as text, null left out; objects and
 * arrays are refused.
 */
export function subscriberFromJson(text: string): RowResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return reject('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('must be a JSON object');
  const row = value as Record<string, unknown>;
  let vars: Record<string, string> | undefined;
  const add = (key: string, item: unknown): string | null => {
    if (item === null || item === undefined) return null;
    const problem = checkVarName(key);
    if (problem) return `field name "${key.slice(0, 64)}" ${problem}`;
    if (typeof item === 'string') (vars ??= {})[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') (vars ??= {})[key] = String(item);
    else return `${key} must be text, a number or a boolean`;
    return null;
  };
  for (const key of Object.keys(row)) {
    if (key === 'email' || key === 'name') continue;
    const item = row[key];
    if (key === 'vars' && typeof item === 'object' && item !== null && !Array.isArray(item)) {
      for (const [varKey, varValue] of Object.entries(item as Record<string, unknown>)) {
        const problem = add(varKey, varValue);
        if (problem) return reject(`vars: ${problem}`);
      }
      continue;
    }
    const problem = add(key, item);
    if (problem) return reject(problem);
  }
  return checkSubscriber(row['email'], row['name'], vars);
}
