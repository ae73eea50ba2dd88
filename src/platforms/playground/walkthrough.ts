/**
 * The README's walk-through ("A gate review in two minutes"): Sam Okafor asks for the review of R07.2 and
 * is the one whose direct messages get the reminder. The first-run hint names the same person and
 * project, so the page and the README tell one story.
 */
export const README_WALKTHROUGH = { personId: 'sam', project: 'R07.2' } as const;

/**
 * The walk-through's start when this playground has it (that person in people.yaml, owning that card);
 * undefined with other people or cards, and the page then names the first owner it finds.
 */
export function walkthroughStart(
  people: Array<{ id: string; owns: string[] }>,
): { personId: string; project: string } | undefined {
  const { personId, project } = README_WALKTHROUGH;
  const found = people.find((entry) => entry.id === personId);
  return found?.owns.includes(project) ? { personId, project } : undefined;
}
