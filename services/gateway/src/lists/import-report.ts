export interface Rejection {
  readonly line: number;
  readonly reason: string;
}

/** How many rejected rows an import lists by line; the rest are only counted. */
export const LISTED_REJECTIONS = 1000;

/** The running counts of one import and its first rejections. */
export class ImportReport {
  accepted = 0;
  duplicates = 0;
  /** Body bytes read. */
  bytes = 0;
  private rejectedCount = 0;
  private readonly listed: Rejection[] = [];

  constructor(private readonly maxListed = LISTED_REJECTIONS) {}

  reject(line: number, reason: string): void {
    this.rejectedCount += 1;
    if (this.listed.length < this.maxListed) this.listed.push({ line, reason });
  }

  get rejected(): number {
    return this.rejectedCount;
  }

  get rejections(): readonly Rejection[] {
    return this.listed;
  }

  /** More rows were rejected than are listed. */
  get truncated(): boolean {
    return this.rejectedCount > this.listed.length;
  }
}
