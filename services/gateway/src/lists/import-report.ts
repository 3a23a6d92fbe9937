export interface Rejection {
  readonly line: number;
  readonly reason: string;
}

/** How many rejected rows an import lists by line; the rest are only counted. */
export const LISTED_REJECTIONS = 1000;

/**
 * The running counts of one import and its first rejections. Every line of the body is one of:
 * the header (CSV), a blank line, or a data line that is accepted, rejected or a duplicate — so
 * `accepted + rejected + duplicates === dataLines` always, and the body's lines add up.
 */
export class ImportReport {
  accepted = 0;
  duplicates = 0;
  /** Blank lines (nothing but blanks, or commas in CSV), the header's leading ones included. */
  blankLines = 0;
  /** Lines of the body, as the line splitter counted them. */
  lines = 0;
  /** 1 once a CSV header has been read. */
  headerLines = 0;
  /** Body bytes read. */
  bytes = 0;
  private rejectedCount = 0;
  private readonly listed: Rejection[] = [];

  constructor(private readonly maxListed = LISTED_REJECTIONS) {}

  reject(line: number, reason: string): void {
    this.rejectedCount += 1;
    if (this.listed.length < this.maxListed) this.listed.push({ line, reason });
  }

  /** Counted apart from the rows' outcomes: the lines that were neither header nor blank. */
  get dataLines(): number {
    return this.lines - this.headerLines - this.blankLines;
  }

  /** Every data line has exactly one outcome. */
  get balanced(): boolean {
    return this.accepted + this.rejectedCount + this.duplicates === this.dataLines;
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
