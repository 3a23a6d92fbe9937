import { checkSubscriber, type Subscriber } from './subscriber-checks';

/** A change of one subscriber: a new name (null or empty: none), merge fields set (a value) or removed (null). */
export interface SubscriberPatch {
  readonly name?: string | null;
  readonly vars?: Readonly<Record<string, string | null>>;
}

export type PatchResult = { readonly ok: true; readonly subscriber: Subscriber } | { readonly ok: false; readonly field: string; readonly reason: string };

/**
 * The subscriber with the patch applied (JSON merge-patch rules for `vars`), checked as an
 * imported row is: the same name and merge-field limits. The address never changes (it is the
 * subscriber's identity in the list).
 */
export function applySubscriberPatch(subscriber: Subscriber, patch: SubscriberPatch): PatchResult {
  const name = patch.name === undefined ? subscriber.name : patch.name ?? undefined;
  let vars: Record<string, string> | undefined = subscriber.vars ? { ...subscriber.vars } : undefined;
  if (patch.vars !== undefined) {
    vars = { ...vars };
    for (const [key, value] of Object.entries(patch.vars)) {
      if (value === null) delete vars[key];
      else if (typeof value !== 'string') return { ok: false, field: `vars.${key}`, reason: `vars.${key} must be text, or null to remove it` };
      else vars[key] = value;
    }
  }
  const checked = checkSubscriber(subscriber.email, name, vars && Object.keys(vars).length > 0 ? vars : undefined);
  if (!checked.ok) return { ok: false, field: checked.reason.startsWith('custom columns') ? 'vars' : 'name', reason: checked.reason.replace(/^custom columns: /, 'vars: ') };
  return checked;
}
