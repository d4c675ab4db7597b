/** One line of a streamed body, numbered from 1; `text` absent when the line was longer than allowed. */
export interface BodyLine {
  number: number;
  text?: string;
}

/**
 * Splits a byte stream into lines as its chunks arrive, holding at most one line of at most
 * `maxBytes`: a longer line is dropped as it streams and reported without its text, so one bad
 * line costs its row, not the stream (split2 and readline either fail the stream or buffer the
 * whole line). "\n" or "\r\n" ends a line; a chunk may end inside a UTF-8 character.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private tooLong = false;
  private count = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): BodyLine[] {
    const out: BodyLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (!this.held && !this.tooLong) out.push(this.line(chunk, start, nl)); // the usual case: no copy
      else {
        this.hold(chunk.subarray(start, nl));
        out.push(this.take());
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
    return out;
  }

  /** The last line, when the body does not end with a newline. */
  end(): BodyLine[] {
    return this.held || this.tooLong ? [this.take()] : [];
  }

  private line(buf: Buffer, start: number, end: number): BodyLine {
    const number = ++this.count;
    if (end > start && buf[end - 1] === 13) end--;
    return end - start > this.maxBytes ? { number } : { number, text: buf.toString('utf8', start, end) };
  }

  private hold(part: Buffer): void {
    if (this.tooLong) return;
    // +1: a line of exactly maxBytes may still be followed by its "\r".
    if (this.held + part.length > this.maxBytes + 1) {
      this.tooLong = true;
      this.parts = [];
      this.held = 0;
      return;
    }
    if (part.length) {
      // Copied: the chunk's memory is the stream's to reuse once consumed.
      this.parts.push(Buffer.from(part));
      this.held += part.length;
    }
  }

  private take(): BodyLine {
    if (this.tooLong) {
      this.tooLong = false;
      return { number: ++this.count };
    }
    const buf = Buffer.concat(this.parts, this.held);
    this.parts = [];
    this.held = 0;
    return this.line(buf, 0, buf.length);
  }
}
