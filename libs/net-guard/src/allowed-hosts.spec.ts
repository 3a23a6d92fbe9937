import { checkWebhookUrl } from './webhook-url';
import { parseAllowedHosts } from './allowed-hosts';

const noDns = () => Promise.reject(new Error('no DNS in this test'));

describe('parseAllowedHosts (WEBHOOK_ALLOWED_HOSTS)', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, []],
    ['', []],
    [' , ,', []],
    ['hooks.internal', ['hooks.internal']],
    ['Hooks.Internal, receiver.local ', ['hooks.internal', 'receiver.local']],
    ['[fd00::5],fd00::6', ['fd00::5', 'fd00::6']],
    ['10.0.0.7', ['10.0.0.7']],
  ])('%j → %j', (raw, hosts) => {
    expect([...parseAllowedHosts(raw)]).toEqual(hosts);
  });

  it.each(['http://hooks.internal/done', 'http://[fd00::5]:8080/done', 'https://10.0.0.7/x'])(
    'allows %s when its host is listed, however it was written there',
    async (url) => {
      const rules = { allowPrivate: false, allowedHosts: parseAllowedHosts('HOOKS.internal, [FD00::5], 10.0.0.7'), resolve: noDns };
      expect(await checkWebhookUrl(url, rules)).toMatchObject({ ok: true });
    },
  );
});
