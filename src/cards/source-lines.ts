/**
 * The card text by (0-based) line number without splitting it into an array of lines: sections are
 * substrings between two line starts.
 */
export interface SourceLines {
  readonly count: number;
  /** Lines [from, to) as one string (with their line breaks). */
  slice(from: number, to: number): string;
  /** Every line, for the rare paths that need them (a table without a header row). */
  all(): string[];
}

export function sourceLines(text: string): SourceLines {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  const offset = (line: number) => (line < starts.length ? starts[line] : text.length);
  return {
    count: starts.length,
    slice: (from, to) => text.slice(offset(from), offset(to)),
    all: () => text.split('\n'),
  };
}
