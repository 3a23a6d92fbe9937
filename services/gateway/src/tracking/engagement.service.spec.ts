import { TrackingTokens } from '@mailroom/contracts';
import { RecipientEventPublisher, type EventPublisher } from '@mailroom/jetstream';
import type { GatewayConfig } from '../config/gateway.config';
import { EngagementService } from './engagement.service';
import { NetworkList } from './network-list';
import { UserAgentList } from './user-agent-list';

const secret = 'e'.repeat(32);
const tokens = new TrackingTokens(secret);
const base = { newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b', batchIndex: 3, email: 'ann@example.org' };

function service() {
  const published: unknown[] = [];
  const engagement = new EngagementService(
    {
      tracking: {
        tokens,
        defaults: { opens: false, clicks: false },
        machineOpenNetworks: NetworkList.parse('17.0.0.0/8'),
        machineOpenUserAgents: UserAgentList.parse('Barracuda,python-requests'),
      },
    } as unknown as GatewayConfig,
    { publish: (_event: string, payload: unknown) => Promise.resolve(void published.push(payload)) } as unknown as EventPublisher,
    new RecipientEventPublisher({} as EventPublisher, false),
  );
  return { engagement, published };
}

describe('EngagementService', () => {
  it('reads a click and an open from their tokens, and refuses one of the other kind', () => {
    const { engagement } = service();
    const click = tokens.sign({ ...base, kind: 'click', url: 'https://example.com/x' });
    const open = tokens.sign({ ...base, kind: 'open' });
    expect(engagement.claimOf(click, 'click')).toEqual({ ...base, kind: 'click', url: 'https://example.com/x' });
    expect(engagement.claimOf(open, 'open')).toEqual({ ...base, kind: 'open' });
    expect(engagement.claimOf(open, 'click')).toBeUndefined();
    expect(engagement.claimOf(click, 'open')).toBeUndefined();
  });

  it('never hands out a URL that is not http(s), even signed with our keys', () => {
    const { engagement } = service();
    expect(engagement.claimOf(tokens.sign({ ...base, kind: 'click', url: 'javascript:alert(1)' }), 'click')).toBeUndefined();
    expect(engagement.claimOf('garbage', 'click')).toBeUndefined();
    expect(engagement.claimOf(new TrackingTokens('f'.repeat(32)).sign({ ...base, kind: 'click', url: 'https://example.com' }), 'click')).toBeUndefined();
  });

  it('publishes an open from MACHINE_OPEN_CIDRS as a machine open, others as a reader’s', async () => {
    const { engagement, published } = service();
    const open = { ...base, kind: 'open' } as const;
    await engagement.record(open, tokens.sign(open), '17.1.2.3');
    await engagement.record(open, tokens.sign(open), '203.0.113.9');
    expect(published).toEqual([
      expect.objectContaining({ ...open, machine: true }),
      expect.not.objectContaining({ machine: true }),
    ]);
  });

  it('publishes an open by a user agent of MACHINE_OPEN_USER_AGENTS as a machine open, whatever its address; never a click', async () => {
    const { engagement, published } = service();
    const open = { ...base, kind: 'open' } as const;
    const click = { ...base, kind: 'click', url: 'https://example.com/x' } as const;
    await engagement.record(open, tokens.sign(open), '203.0.113.9', 'Barracuda Sentinel (EE)');
    await engagement.record(open, tokens.sign(open), '203.0.113.9', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15');
    await engagement.record(open, tokens.sign(open), '203.0.113.9', undefined);
    await engagement.record(click, tokens.sign(click), '203.0.113.9', 'python-requests/2.31');
    expect(published.map((event) => (event as { machine?: boolean }).machine ?? false)).toEqual([true, false, false, false]);
  });
});
