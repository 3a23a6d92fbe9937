import { ConfigValidationError } from '@mailroom/config';
import { loadTrackerConfig } from './tracker.config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadTrackerConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.problems];
    throw error;
  }
};

describe('tracker configuration', () => {
  it('watches for stalls every 30 s, after 5 minutes without progress, and renews leadership every 5 s by default', () => {
    expect(loadTrackerConfig({})).toMatchObject({ watchdog: { stallMs: 300_000, intervalMs: 30_000 }, leaderRenewMs: 5_000 });
  });

  it('bounds a pause at 21 days by default, below the 30 days the delivery ledger keeps what was sent', () => {
    expect(loadTrackerConfig({}).pauseLimitMs).toBe(21 * 86_400_000);
    expect(loadTrackerConfig({ PAUSE_LIMIT_MS: '4000' }).pauseLimitMs).toBe(4_000);
  });

  it('takes the watchdog and leadership timings from the environment', () => {
    const config = loadTrackerConfig({ WATCHDOG_STALL_MS: '3000', WATCHDOG_INTERVAL_MS: '500', TRACKER_LEADER_RENEW_MS: '1000' });
    expect(config).toMatchObject({ watchdog: { stallMs: 3_000, intervalMs: 500 }, leaderRenewMs: 1_000 });
  });

  it.each([
    [{ WATCHDOG_STALL_MS: 'soon' }, 'WATCHDOG_STALL_MS'],
    [{ WATCHDOG_STALL_MS: '999' }, 'WATCHDOG_STALL_MS'],
    [{ WATCHDOG_INTERVAL_MS: '50' }, 'WATCHDOG_INTERVAL_MS'],
    [{ WATCHDOG_STALL_MS: '10000', WATCHDOG_INTERVAL_MS: '20000' }, 'WATCHDOG_INTERVAL_MS: must not exceed WATCHDOG_STALL_MS'],
    [{ TRACKER_LEADER_RENEW_MS: '0' }, 'TRACKER_LEADER_RENEW_MS'],
    [{ TRACKER_LEADER_RENEW_MS: '120000' }, 'TRACKER_LEADER_RENEW_MS'],
    // A pause must end well before the delivery ledger (30 days) forgets what a resumed batch sent.
    [{ PAUSE_LIMIT_MS: String(26 * 86_400_000) }, 'PAUSE_LIMIT_MS'],
    [{ PAUSE_LIMIT_MS: '500' }, 'PAUSE_LIMIT_MS'],
  ])('refuses %j, naming the variable', (env, problem) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('reads WEBHOOK_ALLOWED_HOSTS as the gateway does (case, IPv6 brackets)', () => {
    const { webhooks } = loadTrackerConfig({ WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, [fd00::5]' });
    expect([...webhooks.allowedHosts]).toEqual(['hooks.internal', 'fd00::5']);
  });
});
