import { EventCatalog, EventFlow, type EventName, type EventParticipant } from '@mailroom/contracts';
import { table } from './config-tables';

export interface ServiceSummary {
  readonly service: EventParticipant;
  /** Where its README is, relative to the file the table goes into. */
  readonly readme: string;
  /** What it does, in a sentence (the first sentence of its README). */
  readonly does: string;
}

/**
 * The service table of the README: what each service does, which events it consumes and which it
 * publishes, each with its stream, from the event catalog (`EventFlow`, `EventCatalog`).
 */
export function serviceTable(services: readonly ServiceSummary[]): string {
  const events = Object.keys(EventFlow) as EventName[];
  return table(
    ['service', 'does', 'consumes', 'publishes'],
    services.map(({ service, readme, does }) => [
      `[${service}](${readme})`,
      does.replace(/\|/g, '\\|'),
      byStream(events.filter((e) => EventFlow[e].consumers.includes(service) || (EventFlow[e].readers ?? []).includes(service))),
      byStream(events.filter((e) => EventFlow[e].publishers.includes(service))),
    ]),
  );
}

/** `a`, `b` (stream); `c` (other stream) — or a dash for none. */
function byStream(events: readonly EventName[]): string {
  if (events.length === 0) return '–';
  const groups = new Map<string, EventName[]>();
  for (const event of events) {
    const stream = EventCatalog[event].stream;
    groups.set(stream, [...(groups.get(stream) ?? []), event]);
  }
  return [...groups].map(([stream, names]) => `${names.map((n) => `\`${n}\``).join(', ')} (${stream})`).join('; ');
}

/** The first sentence of a README's first paragraph (after its title). */
export function firstSentence(markdown: string): string {
  const paragraph = markdown
    .replace(/^#[^\n]*\n+/, '')
    .split(/\n\s*\n/)[0]!
    .replace(/\s+/g, ' ')
    .trim();
  const match = /^(.+?[.!?])(?:\s|$)/.exec(paragraph);
  return match ? match[1]! : paragraph;
}
