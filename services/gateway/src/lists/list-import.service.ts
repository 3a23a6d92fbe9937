import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AddressKeySet, MAX_LIST_PARTS, mailboxKey, tenantOf } from '@mailroom/contracts';
import { ListPartsStore, ListRecords, listPartObject, partsOf, type ListImportEntry, type ListRecord } from '@mailroom/jetstream';
import type { Caller } from '../auth/caller';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiError, ConflictError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError } from '../http/api-errors';
import { importFormatOf } from './import-format';
import { ImportLock } from './import-lock';
import { ImportReport, type Rejection } from './import-report';
import type { Subscriber } from './subscriber-checks';
import { subscriberChunks } from './subscriber-chunks';
import { withMinThroughput } from './min-throughput';

export interface ImportRequest {
  /** The request body as it arrives. */
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentLength?: number;
}

export interface ImportResult {
  readonly importId: string;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicates: number;
  /** Lines that were neither the header nor blank: always accepted + rejected + duplicates. */
  readonly dataLines: number;
  /** Blank lines (nothing but blanks, or commas in CSV): skipped, counted. */
  readonly blankLines: number;
  /** The first rejected rows (line numbers as an editor shows them, the header being line 1). */
  readonly rejections: readonly Rejection[];
  readonly rejectionsTruncated: boolean;
  /** The list's subscribers after this import. */
  readonly subscribers: number;
}

/**
 * Imports subscribers into a list: the body is parsed as it arrives and the accepted rows are
 * streamed into a new part (an object of its own) of the list, which joins the list only once
 * complete. A failed import leaves the list as it was.
 */
@Injectable()
export class ListImportService {
  private readonly logger = new Logger(ListImportService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly records: ListRecords,
    private readonly parts: ListPartsStore,
  ) {}

  async import(listId: string, request: ImportRequest, caller: Caller): Promise<ImportResult> {
    const encoding = importFormatOf(request.contentType, request.contentEncoding);
    const format = encoding.format;
    const maxBytes = this.config.maxImportBytes;
    if (request.contentLength !== undefined && request.contentLength > maxBytes) {
      throw new PayloadTooLargeError(`The import is larger than the limit of ${maxBytes} bytes (MAX_IMPORT_BYTES); split it into several imports`);
    }
    const existing = await this.records.get(listId);
    if (!existing || tenantOf(existing) !== caller.tenant) throw new NotFoundError(`No list with id ${listId}`);
    if (existing.imports.length >= MAX_LIST_PARTS) {
      throw new ConflictError(`List ${listId} has had ${MAX_LIST_PARTS} imports, the most one list takes; create a new list`);
    }

    const importId = randomUUID();
    const { lock, record } = await ImportLock.acquire(this.records, listId, importId);
    const object = listPartObject(listId, importId);
    const report = new ImportReport();
    const started = Date.now();
    let stored = false;
    try {
      const seen = await this.addressesOf(record);
      const body = withMinThroughput(request.body, {
        bytesPerSecond: this.config.edge.importMinBytesPerSecond,
        windowMs: this.config.edge.importThroughputWindowMs,
      });
      await this.parts.putChunks(object, subscriberChunks(body, { encoding, seen, report, maxBytes }));
      stored = true;
      if (report.accepted === 0) {
        await this.parts.delete(object);
        stored = false;
      }
      const entry: ListImportEntry = {
        id: importId,
        object: stored ? object : null,
        format,
        accepted: report.accepted,
        rejected: report.rejected,
        duplicates: report.duplicates,
        bytes: report.bytes,
        importedAt: new Date().toISOString(),
      };
      lock.stop();
      const committed = await this.records.commitImport(listId, entry);
      if (!committed) {
        throw new ConflictError('This import stalled for so long that another import to the list took over; nothing was added. Try again.');
      }
      if (!report.balanced) {
        // Cannot happen by construction; said loudly if it ever does.
        this.logger.error({ listId, importId, lines: report.lines, dataLines: report.dataLines, accepted: report.accepted, rejected: report.rejected, duplicates: report.duplicates }, 'Import counts do not add up to its lines');
      }
      const ms = Date.now() - started;
      const rows = report.accepted + report.rejected + report.duplicates;
      this.logger.log(
        { listId, importId, caller: caller.keyName, tenant: caller.tenant, format, accepted: report.accepted, rejected: report.rejected, duplicates: report.duplicates, bytes: report.bytes, ms, rowsPerSecond: Math.round((rows * 1000) / Math.max(ms, 1)) },
        'Subscribers imported',
      );
      return {
        importId,
        accepted: report.accepted,
        rejected: report.rejected,
        duplicates: report.duplicates,
        dataLines: report.dataLines,
        blankLines: report.blankLines,
        rejections: report.rejections,
        rejectionsTruncated: report.truncated,
        subscribers: committed.subscribers,
      };
    } catch (error) {
      lock.stop();
      await Promise.allSettled([lock.release(), stored ? this.parts.delete(object) : Promise.resolve()]);
      if (error instanceof ApiError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') {
        this.logger.warn({ listId, importId, bytes: report.bytes }, 'Import upload ended early (the client went away); nothing was added');
      } else {
        this.logger.error({ listId, importId, bytes: report.bytes, err: (error as Error).message }, 'Import failed; nothing was added');
      }
      throw new ServiceUnavailableError('The import could not be completed; nothing was added to the list. Try again.', undefined, { cause: error });
    }
  }

  /** Every address already in the list, read from its parts (with the list locked, they cannot change). */
  private async addressesOf(record: ListRecord): Promise<AddressKeySet> {
    const seen = new AddressKeySet(record.subscribers + 1024);
    for (const part of partsOf(record)) {
      const lines = await this.parts.readLines<Subscriber>(part);
      if (!lines) throw new Error(`Part ${part} of list ${record.id} is missing`);
      for await (const subscriber of lines) seen.add(mailboxKey(subscriber.email));
    }
    return seen;
  }
}
