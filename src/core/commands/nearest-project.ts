/**
 * "No project R7.2. Did you mean R07.2?": the closest project id by edit distance (case-insensitive),
 * when it is close enough to be a typo.
 */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

export function nearestProject(input: string, projectIds: string[]): string | undefined {
  const wanted = input.toLowerCase();
  let best: { id: string; score: number } | undefined;
  for (const id of projectIds) {
    const score = distance(wanted, id.toLowerCase());
    if (!best || score < best.score) best = { id, score };
  }
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return best && best.score <= limit ? best.id : undefined;
}
