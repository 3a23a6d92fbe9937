import { Injectable, Logger } from '@nestjs/common';
import { Events, tenantOf } from '@mailroom/contracts';
import { DeadLetters, NewsletterRecords, type Page, type StoredDeadLetter } from '@mailroom/jetstream';
import { hasScope, type Caller } from '../auth/caller';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/api-errors';

export interface DeadLetterView {
  /** Use in `POST /v1/dead-letters/:id/redrive`. */
  readonly id: number;
  readonly event: string | null;
  readonly newsletterId: string | null;
  readonly reason: string;
  readonly deliveries: number;
  readonly originalSubject: string;
  readonly originalStream: string;
  readonly deadAt: string;
}

export interface Redrive {
  readonly id: number;
  readonly subject: string;
  readonly round?: string;
}

/**
 * Lists dead letters and puts one back. A re-driven batch runs as a re-send round of its
 * newsletter (its recipients were counted as failed; the ledger keeps anyone already reached from
 * getting it twice); a re-driven newsletter request re-opens its failed newsletter.
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly records: NewsletterRecords,
  ) {}

  /**
   * One page of dead letters. An `admin` key sees every tenant's; any other key only those of its
   * tenant's newsletters (a page may then hold fewer than `limit`: follow `next`).
   */
  async list(caller: Caller, after: number, limit: number): Promise<Page<DeadLetterView>> {
    const page = await this.deadLetters.page(after, limit);
    const visible = hasScope(caller, 'admin') ? page.items : await this.ofTenant(page.items, caller.tenant);
    return { items: visible.map((dead) => this.view(dead)), next: page.next };
  }

  /** The dead letters whose newsletter belongs to `tenant` (one without a newsletter, or whose newsletter is gone, is for admins). */
  private async ofTenant(items: readonly StoredDeadLetter[], tenant: string): Promise<StoredDeadLetter[]> {
    const tenants = new Map<string, string | null>();
    const kept: StoredDeadLetter[] = [];
    for (const dead of items) {
      const id = dead.letter.newsletterId;
      if (!id) continue;
      if (!tenants.has(id)) {
        const record = await this.records.get(id);
        tenants.set(id, record ? tenantOf(record) : null);
      }
      if (tenants.get(id) === tenant) kept.push(dead);
    }
    return kept;
  }

  async redrive(id: number): Promise<Redrive> {
    const dead = await this.deadLetters.get(id);
    if (!dead) throw new NotFoundError(`No dead letter with id ${id}`);
    const { letter } = dead;

    let payload = dead.body;
    let round: string | undefined;
    if (dead.event === Events.BatchReady) {
      ({ payload, round } = await this.prepareBatch(id, dead.body));
    } else if (dead.event === Events.NewsletterRequested && letter.newsletterId) {
      // A dead newsletter request failed its newsletter; putting it back makes it queued again.
      await this.records.requeue(letter.newsletterId);
    }
    await this.deadLetters.redrive(dead, payload);
    this.logger.log({ deadLetter: id, subject: letter.originalSubject, newsletterId: letter.newsletterId, round }, 'Dead letter re-driven');
    return { id, subject: letter.originalSubject, ...(round ? { round } : {}) };
  }

  private async prepareBatch(id: number, body: string): Promise<{ payload: string; round: string }> {
    let batch: Record<string, unknown>;
    try {
      batch = JSON.parse(body) as Record<string, unknown>;
    } catch {
      throw new UnprocessableError(`Dead letter ${id} is not a readable batch (its body is not JSON); it cannot be re-driven`);
    }
    if (typeof batch['newsletterId'] !== 'string' || typeof batch['batchIndex'] !== 'number') {
      throw new UnprocessableError(`Dead letter ${id} is not a readable batch (no newsletterId or batchIndex); it cannot be re-driven`);
    }
    const round = `redrive-${id}`;
    const reopening = await this.records.reopenForRedrive(batch['newsletterId'], {
      round,
      batchIndex: batch['batchIndex'],
      ...(typeof batch['round'] === 'string' ? { deadRound: batch['round'] } : {}),
    });
    if (reopening === 'missing') throw new NotFoundError(`The newsletter of dead letter ${id} no longer exists`);
    // The tracker counts a dead batch before it can be put back (see reopenForRedrive).
    if (reopening === 'not-counted') throw new ConflictError(`Dead letter ${id} is not counted yet; try again in a few seconds`);
    return { payload: JSON.stringify({ ...batch, round, occurredAt: new Date().toISOString() }), round };
  }

  private view({ id, letter, event }: StoredDeadLetter): DeadLetterView {
    return {
      id,
      event: event ?? null,
      newsletterId: letter.newsletterId ?? null,
      reason: letter.reason,
      deliveries: letter.deliveries,
      originalSubject: letter.originalSubject,
      originalStream: letter.originalStream,
      deadAt: letter.deadAt,
    };
  }
}
