import { command, makeHarness } from './harness';

const textOf = (reply: { ephemeral: Array<{ text: string }> }) =>
  reply.ephemeral.map((message) => message.text).join('\n');

describe('help links the project docs', () => {
  it('names the DOCS_URL link, with no PUBLIC_URL set, in the reader language', async () => {
    const h = makeHarness({ docsUrl: 'https://docs.example.org/mltrl-bot#readme' });
    const help = await command(h, 'ana', 'help');
    expect(textOf(help)).toContain(
      'More: the README of mltrl-bot, https://docs.example.org/mltrl-bot#readme',
    );
  });

  it('without a docs link it still names the README, without a broken link', async () => {
    const h = makeHarness();
    expect(textOf(await command(h, 'ana', 'help'))).toContain('More: the README of mltrl-bot.');
  });
});
