import { Logger } from '@nestjs/common';
import type { ListRecord, ListRecords } from '@mailroom/jetstream';
import { ConflictError } from '../http/api-errors';

/** An import not heard from for this long is taken to be dead (its gateway crashed) and may be replaced. */
export const IMPORT_STALE_AFTER_MS = 60_000;
const HEARTBEAT_MS = 15_000;

/**
 * The right to import into one list, held in the list's record: one import at a time, so each
 * one is de-duplicated against every part before it. Refreshed while the import runs.
 */
export class ImportLock {
  private readonly logger = new Logger(ImportLock.name);
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly records: ListRecords,
    private readonly listId: string,
    readonly importId: string,
  ) {
    this.timer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** The lock and the list as it is once locked (its parts cannot change until released); 409 while another import runs. */
  static async acquire(
    records: ListRecords,
    listId: string,
    importId: string,
    busy = 'Another import to this list is running; imports to one list run one at a time. Try again when it has finished.',
  ): Promise<{ lock: ImportLock; record: ListRecord }> {
    const record = await records.claimImport(listId, importId, IMPORT_STALE_AFTER_MS);
    if (!record) throw new ConflictError(busy);
    return { lock: new ImportLock(records, listId, importId), record };
  }

  /** Stops the heartbeat (the commit itself ends the import in the record). */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Ends an import that failed, so the next one need not wait for it to go stale. */
  async release(): Promise<void> {
    this.stop();
    await this.records.releaseImport(this.listId, this.importId);
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.records.touchImport(this.listId, this.importId);
    } catch (error) {
      // A missed beat is harmless unless they all fail for a minute; the commit checks ownership.
      this.logger.warn({ listId: this.listId, importId: this.importId, err: (error as Error).message }, 'Import heartbeat failed');
    }
  }
}
