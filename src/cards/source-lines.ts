/**
 * The card text by (0-based) line number without splitting it into an array of lines: sections are
 * substrings between two line starts. (A class rather than closures: one is made per card.)
 */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Lines [from, to) as one string (with their line breaks). */
  slice(from: number, to: number): string {
    return this.text.slice(this.offset(from), this.offset(to));
  }

  /** Every line, for the rare paths that need them (a table without a header row). */
  all(): string[] {
    return this.text.split('\n');
  }

  private offset(line: number): number {
    return line < this.starts.length ? this.starts[line] : this.text.length;
  }
}
