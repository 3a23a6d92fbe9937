import { mailboxKey, type AddressKeySet } from '@mailroom/contracts';
import type { ImportReport } from './import-report';
import type { RowResult } from './subscriber-checks';

/**
 * Where checked rows go: rejected ones into the report, repeats of a mailbox already in the
 * list (`mailboxKey`: `READER6@EXAMPLE.ORG` repeats `reader6@example.org`) (this import or an earlier one) counted as duplicates, the rest appended as NDJSON to a
 * buffer the caller drains.
 */
export class SubscriberSink {
  private buffer = '';

  constructor(
    private readonly seen: AddressKeySet,
    private readonly report: ImportReport,
  ) {}

  offer(result: RowResult, line: number): void {
    if (!result.ok) {
      this.report.reject(line, result.reason);
    } else if (!this.seen.add(mailboxKey(result.subscriber.email))) {
      this.report.duplicates += 1;
    } else {
      this.report.accepted += 1;
      this.buffer += `${JSON.stringify(result.subscriber)}\n`;
    }
  }

  reject(line: number, reason: string): void {
    this.report.reject(line, reason);
  }

  header(): void {
    this.report.headerLines += 1;
  }

  /** A blank line after the header: not a data line, counted all the same. */
  blank(): void {
    this.report.blankLines += 1;
  }

  get bufferedChars(): number {
    return this.buffer.length;
  }

  take(): string {
    const out = this.buffer;
    this.buffer = '';
    return out;
  }
}
