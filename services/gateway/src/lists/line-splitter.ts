/** Receives the physical lines of a text, numbered from 1. */
export interface LineSink {
  line(text: string, lineNumber: number): void;
  /** A line longer than the limit: skipped without being buffered, reported once. */
  overflow(lineNumber: number): void;
}

/**
 * Cuts streamed text into lines (`\n` or `\r\n`) and numbers them, empty ones included, so a
 * reported line number is the one an editor shows. A line never grows past `maxLineChars`: the
 * rest of an over-long line is dropped as it arrives, so one line without a newline cannot fill
 * memory.
 */
export class LineSplitter {
  private carry = '';
  private lineNumber = 0;
  /** Inside an over-long line: drop text until its newline. */
  private skipping = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineChars: number,
  ) {}

  /** Lines seen so far (the last one counted once it ends, or at `end`). */
  get lines(): number {
    return this.lineNumber;
  }

  push(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.lineNumber += 1;
      if (this.skipping) {
        this.skipping = false;
      } else {
        const line = this.carry === '' ? text.slice(start, newline) : this.carry + text.slice(start, newline);
        this.carry = '';
        this.emit(line);
      }
      start = newline + 1;
    }
    if (this.skipping || start === text.length) return;
    this.carry = this.carry === '' ? text.slice(start) : this.carry + text.slice(start);
    if (this.carry.length > this.maxLineChars + 1) {
      this.carry = '';
      this.skipping = true;
      this.sink.overflow(this.lineNumber + 1);
    }
  }

  /** The last line, when the text does not end with a newline. */
  end(): void {
    if (this.skipping) {
      this.lineNumber += 1;
      this.skipping = false;
    } else if (this.carry !== '') {
      this.lineNumber += 1;
      const line = this.carry;
      this.carry = '';
      this.emit(line);
    }
  }

  private emit(raw: string): void {
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    if (line.length > this.maxLineChars) this.sink.overflow(this.lineNumber);
    else this.sink.line(line, this.lineNumber);
  }
}
