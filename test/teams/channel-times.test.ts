import { defaultTranslator } from '../../src/i18n/translator';
import { renderTeamsCard } from '../../src/platforms/teams/render/adaptive-card';
import { channelVote } from '../support/channel-vote';
import { validateAdaptiveCard } from './support/validate-adaptive-card';

const t = defaultTranslator();

describe('times in a Teams channel message', () => {
  test('the vote deadline uses the DATE and TIME functions for the same instant, in a TextBlock', async () => {
    const { vote, deadline } = await channelVote();
    const card = renderTeamsCard(vote, {
      t,
      locale: vote.locale ?? 'en',
      nameOf: () => undefined,
      view: { audience: 'shared' },
    });
    expect(validateAdaptiveCard(card as unknown as Record<string, unknown>)).toEqual([]);
    const at = deadline.toISOString().replace('.000Z', 'Z');
    const blocks = card.body.filter((element) => element.type === 'TextBlock').map((element) => element.text);
    expect(blocks).toContainEqual(
      expect.stringContaining(`closes {{DATE(${at}, SHORT)}}, {{TIME(${at})}} your time`),
    );
    // The card's plain fallback (notifications, clients without cards) names the bot's zone instead.
    expect(card.fallbackText).toMatch(/closes Mon 30 Nov, 17:00 (CET|GMT\+1)/);
    expect(JSON.stringify(card)).not.toContain('<!time');
  });
});
