import type { MessageAction, MessageKind, OutboundMessage } from '../../src/core/messages';

/** Platform user ids of the people the samples name (people.yaml), as each platform's tests spell them. */
export interface SampleIds {
  ana: string;
  sam: string;
  priya: string;
  li: string;
  lee: string;
}

/** A real 1x1 PNG, so renderers that decode or upload charts get a valid image. */
export const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const CARD_URL = 'https://git.example.org/ml/cards/retina.md';

const openCard: MessageAction = {
  type: 'button',
  actionId: 'open-card',
  label: 'Open card',
  value: 'R07.2',
  url: CARD_URL,
};

const voteActions: MessageAction[] = [
  {
    type: 'button',
    actionId: 'vote-approve',
    label: 'Approve',
    value: 'vote:R07.2:3:approve',
    style: 'primary',
  },
  {
    type: 'button',
    actionId: 'vote-request-changes',
    label: 'Request changes',
    value: 'vote:R07.2:3:changes',
    style: 'danger',
    asksReason: true,
  },
  { type: 'button', actionId: 'vote-abstain', label: 'Abstain', value: 'vote:R07.2:3:abstain' },
  {
    type: 'select',
    actionId: 'vote-switchback',
    placeholder: 'Switch back to ...',
    asksReason: true,
    options: [
      { label: 'Level 2 (Technology development)', value: 'vote:R07.2:3:switch:2' },
      { label: 'Level 1 (Research)', value: 'vote:R07.2:3:switch:1' },
    ],
  },
];

/**
 * One neutral message per kind, shaped like the engine's (UX.md sketches), naming people by the given
 * platform ids. Commands are written `/mltrl ...`; a platform that writes them differently rewrites them
 * when rendering. The vote's TL;DR carries `<`, `>` and `&` so every renderer's escaping is exercised.
 */
export function sampleMessages(ids: SampleIds): Record<MessageKind, OutboundMessage> {
  const { ana, sam, priya, li, lee } = ids;
  return {
    'gap-report': {
      kind: 'gap-report',
      text: 'Gate review: Retina lesion detector (R07.2), level 3 -> 4. The card needs 2 sections.',
      blocks: [
        {
          type: 'header',
          text: 'Gate review: Retina lesion detector (R07.2), level 3 -> 4 (Proof of concept development)',
        },
        { type: 'context', text: `Requested by <@${sam}> · flow mltrl` },
        {
          type: 'list',
          title: 'Before reviewers can vote, the card needs:',
          items: ['Code repo & docs: still the template text (line 12)', 'Testing status: empty (line 31)'],
        },
        { type: 'list', title: 'Recommended, not blocking:', items: ['Coupled components: missing'] },
        {
          type: 'text',
          text: `Owners <@${ana}>, <@${sam}>: I will remind you on working days (next: Tue 24 Nov, 09:00 CET).`,
        },
        {
          type: 'actions',
          actions: [
            openCard,
            { type: 'button', actionId: 'snooze', label: 'Snooze a week', value: 'snooze:R07.2:7d' },
          ],
        },
        { type: 'context', text: 'Card cards/retina.md · revision a1b2c3' },
      ],
      actionableBy: [ana, sam],
    },
    nudge: {
      kind: 'nudge',
      text: 'R07.2 Retina lesion detector is waiting on you for its level 3 -> 4 gate.',
      blocks: [
        { type: 'text', text: 'R07.2 Retina lesion detector is waiting on you for its level 3 -> 4 gate.' },
        { type: 'text', text: 'Still missing: Code repo & docs, Testing status.' },
        {
          type: 'actions',
          actions: [
            openCard,
            { type: 'button', actionId: 'snooze', label: 'Snooze 3 days', value: 'snooze:R07.2:3d' },
            { type: 'button', actionId: 'not-my-project', label: 'Not my project', value: 'nmp:R07.2' },
          ],
        },
        {
          type: 'context',
          text: `Reminder 2 of 3 · next Fri 27 Nov, 09:00 your time · after that the review lead (<@${lee}>) is told.`,
        },
      ],
      actionableBy: [ana],
    },
    escalation: {
      kind: 'escalation',
      text: 'R07.2 has waited 3 reminders on its owners.',
      blocks: [
        {
          type: 'text',
          text: `R07.2 Retina lesion detector has waited 3 reminders on <@${ana}> and <@${sam}>.`,
        },
      ],
    },
    vote: {
      kind: 'vote',
      text: 'Gate vote: R07.2 Retina lesion detector, level 3 -> 4',
      blocks: [
        { type: 'header', text: 'Gate vote: R07.2 Retina lesion detector, level 3 -> 4' },
        { type: 'text', text: 'TL;DR: A convolutional detector for <retinal> lesions & friends.' },
        {
          type: 'fields',
          fields: [
            { label: 'Reviewers', value: `<@${priya}> approved · <@${li}> pending` },
            {
              label: 'Needs',
              value: '1 approval · closes Fri 27 Nov, 17:00 CET or as soon as it is decided',
            },
          ],
        },
        { type: 'actions', actions: voteActions },
        { type: 'divider' },
        { type: 'context', text: 'Votes bind to card revision a1b2c3' },
      ],
      actionableBy: [priya, li],
    },
    'vote-stale': {
      kind: 'vote-stale',
      text: 'The card changed (Testing status). Earlier votes are stale.',
      blocks: [
        {
          type: 'text',
          text: `The card changed (Testing status). Earlier votes are stale; <@${priya}>, please vote again.`,
        },
      ],
    },
    outcome: {
      kind: 'outcome',
      text: 'R07.2 advanced to level 4, Proof of concept development.',
      blocks: [
        { type: 'text', text: 'R07.2 advanced to level 4, Proof of concept development.' },
        { type: 'context', text: `Approved by <@${priya}> (1 of 1 needed) · decided after 1 day 4 hours.` },
        {
          type: 'text',
          text: 'Next gate 4 -> 5 needs: Intended use, Ethics checks. Run /mltrl review R07.2 when ready.',
        },
      ],
    },
    status: {
      kind: 'status',
      text: 'R07.2 Retina lesion detector: level 3, gate 3 -> 4 voting',
      blocks: [
        { type: 'header', text: 'R07.2 Retina lesion detector' },
        {
          type: 'fields',
          fields: [
            { label: 'Level', value: '3 · Research (Proof of principle)' },
            { label: 'Open gate', value: `3 -> 4 · voting, waiting on <@${li}>` },
            { label: 'Last outcome', value: 'advanced to 3, 12 Oct' },
            { label: 'Card', value: 'cards/retina.md · a1b2c3' },
          ],
        },
      ],
    },
    history: {
      kind: 'history',
      text: 'History of R07.2',
      blocks: [
        { type: 'header', text: 'History of R07.2' },
        {
          type: 'list',
          items: [
            `Tue 09:14 review opened by <@${sam}>`,
            `Tue 09:15 nudge sent to <@${ana}>`,
            `Wed 11:02 vote by <@${priya}>: approve`,
          ],
          more: '...and 4 more: /mltrl history R07.2 all',
        },
        { type: 'divider' },
        { type: 'context', text: 'Times in Europe/Berlin' },
      ],
    },
    help: {
      kind: 'help',
      text: 'mltrl-bot commands',
      blocks: [
        { type: 'header', text: 'mltrl-bot commands' },
        {
          type: 'list',
          items: [
            '/mltrl review <project>: start or re-show a gate review',
            '/mltrl status [project]: where a project stands',
            '/mltrl help: this list',
          ],
        },
        {
          type: 'context',
          text: 'A gate moves a project up one MLTRL level; reviewers named on the card vote.',
        },
      ],
    },
    usage: {
      kind: 'usage',
      text: 'I do not know "frobnicate". Usage: /mltrl review <project>',
      blocks: [{ type: 'text', text: 'I do not know "frobnicate". Usage: /mltrl review <project>' }],
    },
    error: {
      kind: 'error',
      text: 'No project R7.2. Did you mean R07.2?',
      blocks: [{ type: 'text', text: 'No project R7.2. Did you mean R07.2?' }],
    },
    notice: {
      kind: 'notice',
      text: 'Nudges for R07.2 are paused until Tue 3 Dec.',
      blocks: [{ type: 'text', text: 'Nudges for R07.2 are paused until Tue 3 Dec.' }],
    },
    digest: {
      kind: 'digest',
      text: 'ML readiness digest · week 48 (23-29 Nov)',
      blocks: [
        { type: 'header', text: 'ML readiness digest · week 48 (23-29 Nov)' },
        {
          type: 'list',
          title: 'What changed',
          items: [
            'R07.2 Retina lesion detector 3 -> 4 (advanced)',
            'P13.2 Solar array optimisation 8 -> 7 (switchback)',
          ],
        },
        {
          type: 'list',
          title: 'Waiting on people',
          items: [`R02.1 gate 4 -> 5: vote waiting on <@${li}> for 3 days`],
          more: '...and 4 more: /mltrl portfolio',
        },
        { type: 'divider' },
        {
          type: 'fields',
          fields: [
            { label: 'Research', value: '3' },
            { label: 'Prototyping', value: '5' },
            { label: 'Productization', value: '2' },
            { label: 'Deployment', value: '1' },
          ],
        },
        { type: 'image', alt: 'Projects per level: Research 3, Prototyping 5', pngBase64: PNG_1PX },
        { type: 'image', alt: 'Chart by URL', url: 'https://charts.example.org/w48.png' },
      ],
    },
    portfolio: {
      kind: 'portfolio',
      text: 'Portfolio',
      blocks: [
        { type: 'header', text: 'Portfolio' },
        { type: 'list', title: 'Waiting on you', items: ['R07.2 gate 3 -> 4: your vote'] },
        { type: 'image', alt: 'Projects per MLTRL level', url: 'https://charts.example.org/w48.png' },
      ],
    },
  };
}
