/**
 * The text of a new card (`mltrl-bot cards init`), laid out as the public MLTRL card template: a title,
 * the summary table, a TL;DR and the detail sections with italic prompts where the team writes. The
 * prompts are template text, so the gap checker reports each as "still the template text" until filled.
 * The "Ethics checks?" row links the project's own checklist file, written beside the card.
 */
export function cardTemplate(input: {
  name: string;
  projectId: string;
  level: number;
  checklistFile: string;
  owners?: readonly string[];
  reviewers?: readonly string[];
}): string {
  const { name, projectId, level, checklistFile } = input;
  const people = (list: readonly string[] | undefined) =>
    list?.length ? list.join(', ').replace(/\|/g, '\\|') : '(*names, @handles or e-mails*)';
  const rows: Array<[string, string]> = [
    ['Tech name (project ID)', `${name} (${projectId})`],
    ['Current Level', `${level} (*link to prior level cards*)`],
    ['Owner(s)', people(input.owners)],
    ['Reviewer(s)', people(input.reviewers)],
    ['Main project page', "(*link to the team's project page*)"],
    ["Req's, V&V docs", '(*link, if not on the main page*)'],
    ['Code repo & docs', '(*link to the code repository*)'],
    ['Ethics checks?', `WIP: [ethics checklist](./${checklistFile})`],
    ['Coupled components', '(*project IDs of the components this system depends on, or none*)'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length), 'Summary info'.length);
  const cellWidth = Math.max(...rows.map(([, value]) => value.length), 'Content, links'.length);
  const row = (label: string, value: string) => `| ${label.padEnd(width)} | ${value.padEnd(cellWidth)} |`;
  return [
    `# MLTRL Card - ${name} - level ${level}`,
    '',
    row('Summary info', 'Content, links'),
    `| ${'-'.repeat(width)} | ${'-'.repeat(cellWidth)} |`,
    ...rows.map(([label, value]) => row(label, value)),
    '',
    '**TL;DR** - (*one or two sentences: what the technology does and for whom*)',
    '',
    '### Top-level requirements',
    '',
    '(*numbered "shall" statements, each with its verification and validation*)',
    '',
    '### Model / algorithm info',
    '',
    '(*an elevator pitch for a domain expert who is not an ML expert*)',
    '',
    '### Intended use',
    '',
    '(*intended uses, and uses that are not acceptable*)',
    '',
    '### Testing status',
    '',
    '(*what is tested and how; link to the results*)',
    '',
    '### Data considerations',
    '',
    '(*where the data comes from, who owns it, how it is stored, known biases*)',
    '',
    '### Caveats, known edge cases, recommendations',
    '',
    '(*where the technology fails or should not be trusted*)',
    '',
    '### MLTRL stage debrief',
    '',
    '1. What was accomplished, and by who?',
    '',
    '2. What was punted and/or de-scoped?',
    '',
    '3. What was learned?',
    '',
    '4. What tech debt was gained? Mitigated?',
    '',
  ].join('\n');
}

/** The project's ethics checklist: MLTRL's pre-development and post-development questions as task items. */
export function checklistTemplate(input: { name: string; projectId: string }): string {
  const item = (text: string) => `- [ ] ${text}`;
  return [
    `# Ethics checklist - ${input.name} (${input.projectId})`,
    '',
    'Tick an item once the team has answered it; link the answer (a paragraph or a page) after the item.',
    '',
    '## Pre-development',
    '',
    item('Data ownership and rights: who owns the data, and may we use it for this purpose?'),
    item('Collection and storage: how is the data collected, where is it kept, and for how long?'),
    item('Legal: which laws and contracts apply (privacy, sector rules, licences)?'),
    item('Privacy: is personal data involved, and how is it protected or removed?'),
    item('Second-order effects: who else could be affected by the system, and how?'),
    item('Anything else specific to this project that needs an answer before development.'),
    '',
    '## Post-development',
    '',
    item('Legal compliance: does the system as built comply with the rules identified above?'),
    item('Abuse: how could the system be misused, and what prevents it?'),
    item('Data: is the training and test data fair and representative of the people and cases it serves?'),
    item('Bias: were results checked across groups, and over time?'),
    item('Consent: did the people whose data is used agree to this use?'),
    item('Redress: can someone affected by a decision contest it, and how?'),
    item('Shut-down: can we switch the system off in production without harm?'),
    item('Security: is the data and the model protected against leaks and tampering?'),
    item('Communication: how are users told about changes to the system?'),
    '',
  ].join('\n');
}
