import { readFileSync } from 'node:fs';
import { EventFlow, Events, type EventName } from '@mailroom/contracts';
import { fromRoot, shown, sourceFiles } from './repository';

/**
 * The event catalog's flow (`EventFlow` in libs/contracts), which the README's service table is
 * generated from, against the code: a service handles exactly the events it is listed as
 * consuming (`@HandlesEvent(Events.X)`), and every event it publishes itself
 * (`publish(Events.X, …)`) lists it as a publisher. (Publishing done for a service inside a
 * library, such as the transport's dead letters, is not visible here and stays declared by hand.)
 */
const SERVICES = ['gateway', 'splitter', 'sender', 'tracker', 'feedback'] as const;
const EVENT_OF = new Map<string, EventName>(Object.entries(Events));

function eventsNamed(service: string, pattern: RegExp): Map<EventName, string[]> {
  const found = new Map<EventName, string[]>();
  for (const file of sourceFiles(fromRoot('services', service, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const event = EVENT_OF.get(match[1]!);
      if (!event) throw new Error(`${shown(file)}: Events.${match[1]} is not in the catalog`);
      found.set(event, [...(found.get(event) ?? []), shown(file)]);
    }
  }
  return found;
}

describe.each(SERVICES)('the event flow of the %s', (service) => {
  it('lists it as a consumer of exactly the events it has a handler for', () => {
    const handled = [...eventsNamed(service, /@HandlesEvent\(\s*Events\.(\w+)/g).keys()].sort();
    const declared = (Object.keys(EventFlow) as EventName[]).filter((e) => EventFlow[e].consumers.includes(service)).sort();
    expect({ service, consumes: declared }).toEqual({ service, consumes: handled });
  });

  it('lists it as a publisher of every event it publishes', () => {
    const undeclared = [...eventsNamed(service, /\.publish\(\s*Events\.(\w+)/g)]
      .filter(([event]) => !EventFlow[event].publishers.includes(service))
      .map(([event, files]) => `${event} (${files.join(', ')})`);
    expect(undeclared).toEqual([]);
  });
});
