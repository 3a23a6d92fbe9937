import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { MailroomStack, repoRoot, SmtpSink, waitFor } from '@mailroom/testing';
import { measure, type RateMeasurement } from './rate-measure';
import { renderRateReport } from './rate-report';

/**
 * `npm run bench:rate`: one provider at a configured rate, shared by 1, 2 and 3 sender processes
 * (the whole pipeline runs); prints configured vs observed rate at the SMTP server and writes
 * bench/RATE-RESULTS.md. Options: --rate 100 --burst 0 (0: the default, max(3, rate / 5))
 * --duration 30 (seconds measured) --warmup 2 --senders 1,2,3 --out bench/RATE-RESULTS.md.
 */
async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rate: { type: 'string', default: '100' },
      burst: { type: 'string', default: '0' },
      duration: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '2' },
      senders: { type: 'string', default: '1,2,3' },
      out: { type: 'string', default: 'bench/RATE-RESULTS.md' },
    },
  });
  const rate = Number(values.rate);
  const burst = Number(values.burst) > 0 ? Number(values.burst) : Math.max(3, Math.ceil(rate / 5));
  const durationMs = Number(values.duration) * 1000;
  const warmupMs = Number(values.warmup) * 1000;
  const results: RateMeasurement[] = [];
  for (const senders of values.senders.split(',').map(Number)) {
    const result = await runOnce({ senders, rate, burst, durationMs, warmupMs });
    log(
      `${senders} sender(s): configured ${rate}/s, observed ${result.observedPerSecond.toFixed(2)}/s ` +
        `(${result.fromFirstPerSecond.toFixed(2)}/s from the first arrival), max ${result.peakInOneSecond} in any 1 s (bound ${rate + burst}), ` +
        `tokens leased ${result.leasedTokens ?? 0}, expired unspent ${result.expiredTokens ?? 0}`,
    );
    results.push(result);
  }
  const report = renderRateReport(results, { command: `npm run bench:rate -- ${argv.join(' ')}`.trim(), date: new Date(), warmupMs });
  const out = join(repoRoot(), values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, report);
  process.stdout.write(`\n${report}\nWritten to ${values.out}\n`);
}

async function runOnce(options: { senders: number; rate: number; burst: number; durationMs: number; warmupMs: number }): Promise<RateMeasurement> {
  const sink = await SmtpSink.start({ keepMessages: false });
  const stack = await MailroomStack.start({
    smtpUrl: sink.url,
    senders: options.senders,
    env: { LOG_LEVEL: 'warn' },
    serviceEnv: {
      sender: { SMTP_RATE_PER_SECOND: String(options.rate), SMTP_BURST: String(options.burst) },
      gateway: { MAX_BODY_BYTES: String(50 * 1024 * 1024), MAX_INLINE_RECIPIENTS: '1000000' },
    },
  });
  try {
    // Enough recipients to outlast warm-up and measurement with room to spare.
    const count = Math.ceil(options.rate * ((options.warmupMs + options.durationMs) / 1000 + 10));
    const recipients = Array.from({ length: count }, (_, i) => `bench${i}@example.org`);
    const res = await stack.request<{ id: string }>('POST', '/v1/newsletters', {
      body: { subject: 'Rate benchmark', text: 'Hello', recipients, batchSize: 100 },
    });
    if (res.status !== 202) throw new Error(`POST /v1/newsletters answered ${res.status}: ${JSON.stringify(res.body)}`);
    await sink.waitForMessages(1, 60_000);
    const endMs = sink.receivedAt[0]! + options.warmupMs + options.durationMs;
    await waitFor(() => Date.now(), (now) => now >= endMs + 500, {
      timeoutMs: options.warmupMs + options.durationMs + 10_000,
      intervalMs: 200,
      description: 'the measured window to pass',
    });
    const tokens = await leaseCounters(stack);
    return { ...measure({ arrivals: sink.receivedAt, configuredPerSecond: options.rate, ...options }), ...tokens };
  } finally {
    await stack.stop();
    await sink.close();
  }
}

/** Tokens leased and expired unspent, summed over the senders (their /metrics). */
async function leaseCounters(stack: MailroomStack): Promise<{ leasedTokens: number; expiredTokens: number }> {
  let leasedTokens = 0;
  let expiredTokens = 0;
  for (const sender of stack.senders) {
    const text = await (await fetch(`${sender.baseUrl}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{provider="default"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    leasedTokens += value('mailroom_rate_limit_leased_tokens_total');
    expiredTokens += value('mailroom_rate_limit_expired_tokens_total');
  }
  return { leasedTokens, expiredTokens };
}

function log(message: string): void {
  process.stdout.write(`[bench:rate] ${message}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
