import { JetStreamApiError } from '@nats-io/jetstream';
import { isTransientNatsError } from './transient-errors';

const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const api = (code: number, status: number, description: string) => new JetStreamApiError({ err_code: code, code: status, description });

describe('isTransientNatsError (worth another try after a pause)', () => {
  it.each([
    ['a request timeout (the leader it went to died)', named('TimeoutError', 'timeout'), true],
    ['no responders (JetStream API not up yet)', named('NoResponders', "no responders: '$JS.API.INFO'"), true],
    ['a request error caused by a timeout', Object.assign(new Error('request failed', { cause: named('TimeoutError') }), { name: 'RequestError' }), true],
    [
      'no responders on a stream leader that died, as the client reports it ("jetstream is not enabled")',
      Object.assign(new Error('jetstream is not enabled', { cause: Object.assign(new Error('no responders', { cause: named('NoResponders') }), { name: 'RequestError' }) }), { name: 'JetStreamNotEnabled' }),
      true,
    ],
    ['JetStream really not enabled on the server (no cause)', named('JetStreamNotEnabled', 'jetstream is not enabled'), false],
    ['JetStream temporarily unavailable (no meta leader)', api(10008, 503, 'JetStream system temporarily unavailable'), true],
    ['insufficient resources (a peer still joining)', api(10023, 503, 'insufficient resources'), true],
    ['no suitable peers for placement', api(10005, 500, 'no suitable peers for placement'), true],
    ['a closed connection (shutting down)', named('ClosedConnectionError', 'closed connection'), false],
    ['a draining connection', named('DrainingConnectionError', 'connection draining'), false],
    ['a wrong last sequence (a real CAS conflict)', api(10071, 400, 'wrong last sequence: 4'), false],
    ['stream not found', api(10059, 404, 'stream not found'), false],
    ['a programming error', new TypeError('x is undefined'), false],
    ['not an Error', 'timeout', false],
  ])('%s → %s', (_label, error, expected) => {
    expect(isTransientNatsError(error)).toBe(expected);
  });
});
