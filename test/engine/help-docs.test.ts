import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageHomepage } from '../../src/app/build-engine';
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

  it('without a docs link it names README.md in the bot repository, without a broken link', async () => {
    const h = makeHarness();
    const help = textOf(await command(h, 'ana', 'help'));
    expect(help).toContain("More: README.md in the bot's repository (mltrl-bot).");
    expect(help).not.toMatch(/https?:/);
  });

  it('says the same in the reader language', async () => {
    const h = makeHarness({
      people: { people: [{ id: 'ana', name: 'Ana', handles: [], locale: 'de', roles: [] }] },
    });
    expect(textOf(await command(h, 'ana', 'help'))).toContain(
      'Mehr: README.md im Repository des Bots (mltrl-bot).',
    );
  });
});

describe('the docs address package.json gives', () => {
  const manifest = (content: object) => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify(content));
    return join(dir, 'package.json');
  };

  it('is the homepage, else the repository as a web address, else nothing (none is invented)', () => {
    expect(packageHomepage(manifest({ homepage: 'https://docs.example.org/bot' }))).toBe(
      'https://docs.example.org/bot',
    );
    expect(
      packageHomepage(
        manifest({ repository: { type: 'git', url: 'git+https://git.example.org/ml/bot.git' } }),
      ),
    ).toBe('https://git.example.org/ml/bot#readme');
    expect(packageHomepage(manifest({ repository: 'git@git.example.org:ml/bot.git' }))).toBeUndefined();
    expect(packageHomepage(manifest({ name: 'mltrl-bot' }))).toBeUndefined();
  });

  it('is nothing for this repository today: package.json names no homepage or repository', () => {
    expect(packageHomepage()).toBeUndefined();
  });
});
