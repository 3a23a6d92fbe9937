/**
 * A stream-info `subjects` map (`<prefix>.<event>.<newsletter id>` → messages) keyed by the
 * subject's last token: the newsletter id of a keyed event.
 */
export function bySubjectKey(subjects: Readonly<Record<string, number>> | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [subject, count] of Object.entries(subjects ?? {})) {
    if (count > 0) counts.set(subject.slice(subject.lastIndexOf('.') + 1), count);
  }
  return counts;
}
