/**
 * Deterministic card generator for the benchmark: about 5 KiB of realistic card text, levels 0 to 9,
 * and gaps that vary (template text, TODO, empty sections, missing rows, unanswered debrief questions).
 */
const WORDS =
  'model data pipeline validation requirement grader image sensitivity threshold drift monitoring latency feature store training evaluation release shadow canary cohort label consent retention bias fairness slice golden integration service'.split(
    ' ',
  );

function random(seed: number): () => number {
  let state = seed * 2654435761 + 1013904223;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function prose(next: () => number, words: number): string {
  const out: string[] = [];
  for (let index = 0; index < words; index++) out.push(WORDS[Math.floor(next() * WORDS.length)]);
  return `${out.join(' ')}.`;
}

export function generateCard(index: number): string {
  const next = random(index + 1);
  const level = index % 10;
  const gap = (text: string) => {
    const roll = next();
    if (roll < 0.08) return 'TODO';
    if (roll < 0.14) return '(*describe here*)';
    if (roll < 0.18) return '';
    return text;
  };
  const section = (title: string, words: number) => {
    const roll = next();
    if (roll < 0.05) return '';
    return `### ${title}\n\n${gap(`${prose(next, words)}\n\n${prose(next, words)}`)}\n\n`;
  };
  const rows = [
    `| Tech name (project ID)  | Generated project ${index} (G${index}) |`,
    `| Current Level           | ${level} |`,
    `| Owner(s)                | Ana Lima, @sam |`,
    `| Reviewer(s)             | Priya Nair <priya@example.org>, Li Wei |`,
    `| Main project page       | ${gap(`https://wiki.example.org/p/${index}`)} |`,
    `| Req's, V&V docs         | ${gap(`https://wiki.example.org/p/${index}/vv`)} |`,
    `| Code repo & docs        | ${gap(`https://git.example.org/p/${index}`)} |`,
    `| Ethics checks?          | ${next() < 0.5 ? 'WIP: pre-dev checklist' : 'Complete: post-dev signed off'} |`,
  ];
  if (next() < 0.7) rows.push(`| Coupled components | G${(index + 1) % 10000} |`);
  const answer = () => (next() < 0.1 ? '' : `   ${prose(next, 12)}`);
  return [
    `# MLTRL Card - Generated project ${index} - level ${level}`,
    '',
    '| Summary info            | Content, links |',
    '| ----------------------- | -------------- |',
    ...rows,
    '',
    `**TL;DR** - ${gap(prose(next, 25))}`,
    '',
    section('Top-level requirements', 55),
    section('Model / algorithm info', 55),
    section('Intended use', 48),
    section('Testing status', 48),
    section('Data considerations', 55),
    section('Caveats, known edge cases, recommendations', 48),
    '### MLTRL stage debrief',
    '',
    '1. What was accomplished, and by who?',
    answer(),
    '2. What was punted and/or de-scoped?',
    answer(),
    '3. What was learned?',
    answer(),
    '4. What tech debt what gained? Mitigated?',
    answer(),
    '',
  ].join('\n');
}
