/** Receives the physical lines of a text, numbered from 1. */
export interface LineSink {
  line(text: string, lineNumber: number): void;
  /** A line longer than the limit: skipped without being buffered, reported once. */
  overflow(lineNumber: number): void;
}

/** A line whose bytes are not valid in the body's charset (UTF-8 unless declared). */
export class UndecodableLineError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly charset: string,
  ) {
    super(`line ${lineNumber} is not valid ${charset}`);
  }
}

/** A strict decoder (`new TextDecoder(charset, { fatal: true })`): only what the splitter uses of it. */
export interface LineDecoder {
  readonly encoding: string;
  decode(input: Uint8Array): string;
}

const NEWLINE = 10;
const CR = 13;

/**
 * Cuts a streamed body (bytes) into lines (`\n` or `\r\n`), decodes them and numbers them, empty
 * ones included, so a reported line number is the one an editor shows.
 *
 * Decoding is strict: the decoder must be `fatal` (UTF-8), and a line it cannot decode throws
 * UndecodableLineError with that line's number rather than turning into U+FFFD. Lines are cut on
 * the byte 0x0A, which is never part of a multi-byte UTF-8 sequence (nor of any single-byte
 * charset), so each chunk is decoded in one call up to its last newline; only a chunk that fails
 * is decoded again line by line to find the culprit.
 *
 * A line never grows past `maxLineChars` (or four bytes a character while undecoded): the rest
 * of an over-long line is dropped as it arrives, so one line without a newline cannot fill memory.
 */
export class LineSplitter {
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private lineNumber = 0;
  /** Inside an over-long line: drop bytes until its newline. */
  private skipping = false;
  private started = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineChars: number,
    private readonly decoder: LineDecoder,
    private readonly charset = decoder.encoding,
  ) {}

  /** Lines seen so far (the last one counted once it ends, or at `end`). */
  get lines(): number {
    return this.lineNumber;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      // A UTF-8 byte-order mark is not part of the first line.
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    const first = chunk.indexOf(NEWLINE, start);
    if (first === -1) return this.keep(chunk.subarray(start));
    // The line carried over from earlier chunks ends here.
    if (this.carryBytes > 0 || this.skipping) {
      this.endCarried(chunk.subarray(start, first));
      start = first + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= start) {
      this.lines_(chunk.subarray(start, last + 1));
      start = last + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** The last line, when the text does not end with a newline. */
  end(): void {
    if (this.carryBytes > 0 || this.skipping) this.endCarried(new Uint8Array(0));
  }

  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.skipping) return;
    this.carry.push(bytes.slice());
    this.carryBytes += bytes.length;
    if (this.carryBytes > this.maxLineChars * 4 + 1) {
      this.carry = [];
      this.carryBytes = 0;
      this.skipping = true;
      this.sink.overflow(this.lineNumber + 1);
    }
  }

  private endCarried(tail: Uint8Array): void {
    this.lineNumber += 1;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const bytes = new Uint8Array(this.carryBytes + tail.length);
    let at = 0;
    for (const piece of this.carry) {
      bytes.set(piece, at);
      at += piece.length;
    }
    bytes.set(tail, at);
    this.carry = [];
    this.carryBytes = 0;
    this.emit(this.decode(bytes, this.lineNumber));
  }

  /** Whole lines, each ending with a newline. */
  private lines_(bytes: Uint8Array): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return this.linesOneByOne(bytes);
    }
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      this.lineNumber += 1;
      this.emit(text.slice(start, newline));
      start = newline + 1;
    }
  }

  private linesOneByOne(bytes: Uint8Array): void {
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      this.lineNumber += 1;
      this.emit(this.decode(bytes.subarray(start, newline), this.lineNumber));
      start = newline + 1;
    }
  }

  private decode(bytes: Uint8Array, lineNumber: number): string {
    try {
      return this.decoder.decode(bytes);
    } catch {
      throw new UndecodableLineError(lineNumber, this.charset);
    }
  }

  private emit(raw: string): void {
    const line = raw.charCodeAt(raw.length - 1) === CR ? raw.slice(0, -1) : raw;
    if (line.length > this.maxLineChars) this.sink.overflow(this.lineNumber);
    else this.sink.line(line, this.lineNumber);
  }
}
