import { defaultTranslator } from '../../src/i18n/translator';
import { renderMessage } from '../../src/platforms/slack/render/render-message';
import { channelVote } from '../support/channel-vote';

const t = defaultTranslator();
/** Berlin's short zone name, as this machine's ICU writes it in English. */
const ZONE = '(CET|GMT\\+1)';

describe('times in a Slack channel message', () => {
  test('the vote deadline is a Slack date, shown in each reader’s zone, with the zone-named fallback', async () => {
    const { vote, deadline } = await channelVote();
    const payload = renderMessage(vote, { t, locale: vote.locale });
    const sections = JSON.stringify(payload.blocks);
    const epoch = deadline.getTime() / 1000;
    // Monday 30 Nov 17:00 in Berlin (the bot's zone) is the fallback; the reader phrase is the token string.
    expect(sections).toMatch(
      new RegExp(
        `<!date\\^${epoch}\\^\\{date_long_pretty\\}, \\{time\\} your time\\|Mon 30 Nov, 17:00 ${ZONE}>`,
      ),
    );
    // The notification text cannot format dates: it keeps the fallback, which names its zone.
    expect(payload.text).toMatch(new RegExp(`closes Mon 30 Nov, 17:00 ${ZONE}`));
    expect(payload.text).not.toContain('<!date');
    expect(payload.text).not.toContain('<!time');
  });
});
