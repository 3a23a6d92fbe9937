import { SingleBar } from 'cli-progress';
import type { NewsletterView } from '@mailroom/contracts';

export interface ProgressDisplay {
  update(view: NewsletterView): void;
  finish(view: NewsletterView): void;
}

const seconds = (s: number | null) => (s === null ? '-' : s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`);

/** A live bar (sent, failed, rate, ETA) on a terminal; one JSON line at the end with `--json`. */
export function createDisplay(options: { json: boolean; out: NodeJS.WriteStream }): ProgressDisplay {
  if (options.json) {
    return {
      update: () => undefined,
      finish: (view) => options.out.write(`${JSON.stringify(view)}\n`),
    };
  }
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {settled}/{total} | sent {sent} failed {failed} suppressed {suppressed} | {rate}/s | ETA {eta_text} | {status}',
    stream: options.out,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  let started = false;
  const values = (view: NewsletterView) => ({
    settled: view.sent + view.failed + view.suppressed,
    sent: view.sent,
    failed: view.failed,
    suppressed: view.suppressed,
    rate: view.ratePerSecond,
    eta_text: seconds(view.etaSeconds),
    status: view.status,
  });
  return {
    update(view) {
      const payload = values(view);
      if (!started) {
        bar.start(Math.max(view.total, 1), payload.settled, payload);
        started = true;
      } else {
        bar.setTotal(Math.max(view.total, 1));
        bar.update(payload.settled, payload);
      }
    },
    finish(view) {
      this.update(view);
      bar.stop();
      options.out.write(
        `${view.status}: ${view.sent} sent, ${view.failed} failed, ${view.suppressed} suppressed of ${view.total} ` +
          `(${view.duplicates} duplicate(s) dropped) — newsletter ${view.id}\n`,
      );
    },
  };
}
