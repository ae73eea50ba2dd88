import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createCardDirectory } from '../../src/cards/card-directory';
import { loadPeople } from '../../src/people/load-people';
import { launchBrowser } from '../support/browser';
import { startPlayground, voteMessage, type RunningPlayground } from './playground-fixture';

/**
 * The playground page at a narrow width, its ticking header clock and its first-run hint, in real
 * Chromium against the playground platform with a recording engine.
 */
let browser: Browser;
let pg: RunningPlayground;
let page: Page;
const failures: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  failures.length = 0;
  // The example cards name Ana Lima as an owner (F05.3 first), so the hint can name her and her project.
  pg = await startPlayground({}, undefined, {
    cards: createCardDirectory(join(__dirname, '..', '..', 'cards')),
  });
});
afterEach(async () => {
  await page?.close();
  await pg.close();
  expect(failures).toEqual([]);
});

async function open(as: string, width = 1280, prepare?: (page: Page) => Promise<void>) {
  page = await browser.newPage({ viewport: { width, height: 720 } });
  page.on('pageerror', (error) => failures.push(error.message));
  await prepare?.(page);
  await page.goto(`${pg.url}/?as=${as}`);
  await page.locator('#live-status.live').waitFor();
}

test('at 760 px with the thread open, composer, messages and thread are all visible, with no horizontal scroll', async () => {
  await open('ana', 760);
  const vote = await pg.platform.chat.post('playground:ml-reviews', voteMessage);
  await pg.platform.chat.post(
    'playground:ml-reviews',
    { kind: 'notice', text: 'a reply in the thread', blocks: [] },
    vote.messageId,
  );
  const article = page.locator(`#message-list article[data-message-id="${vote.messageId}"]`);
  await article.getByRole('button', { name: '1 reply' }).click();
  await page.locator('#thread-panel').getByText('a reply in the thread').waitFor();

  const box = async (selector: string) => {
    const found = await page.locator(selector).first().boundingBox();
    if (!found) throw new Error(`${selector} is not visible`);
    return found;
  };
  const composer = await box('#composer-input');
  const message = await box(`#message-list article[data-message-id="${vote.messageId}"]`);
  const thread = await box('#thread-panel');
  const threadInput = await box('#thread-input');
  for (const visible of [composer, message, thread, threadInput]) {
    expect(visible.x).toBeGreaterThanOrEqual(0);
    expect(visible.x + visible.width).toBeLessThanOrEqual(760);
    expect(visible.width).toBeGreaterThan(150);
  }
  // Side by side, not on top of each other.
  expect(composer.x + composer.width).toBeLessThanOrEqual(thread.x);
  expect(message.x + message.width).toBeLessThanOrEqual(thread.x);
  // The vote's buttons fit in the narrowed channel.
  const approve = await article.getByRole('button', { name: 'Approve' }).boundingBox();
  expect(approve!.x + approve!.width).toBeLessThanOrEqual(thread.x);
  const overflow = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
  // The conversation list is still there to switch channels.
  await page.locator('#channel-list').getByRole('button', { name: '#ml-leads' }).click();
  await expect(page.locator('#channel-title').textContent()).resolves.toBe('#ml-leads');
});

test('the header clock ticks: the minute turns without a click or a server message', async () => {
  await open('ana', 1280, (page) => page.clock.install());
  // The fixture's server clock says 08:14 UTC: 09:14 in Berlin, Ana's zone.
  await page.getByText('Tue 24 Nov 09:14 Europe/Berlin').waitFor();
  await page.clock.fastForward(60_000);
  await page.getByText('Tue 24 Nov 09:15 Europe/Berlin').waitFor();
  await page.clock.fastForward(60 * 60_000);
  await page.getByText('Tue 24 Nov 10:15 Europe/Berlin').waitFor();
});

test('the first visit shows a hint naming a real owner; its button sets up the first step; dismissed, it stays away', async () => {
  await open('max');
  const hint = page.getByRole('region', { name: 'New here?' });
  await hint.waitFor();
  await expect(hint.textContent()).resolves.toContain(
    'Act as Ana Lima (owner of F05.3), send /mltrl review F05.3 in the channel',
  );
  await hint.getByRole('button', { name: 'Start as Ana Lima' }).click();
  // The button acts as Ana and opens the channel (two round trips) before it types the command: wait for it.
  await page.waitForFunction(
    () =>
      (document.getElementById('composer-input') as HTMLInputElement | null)?.value === '/mltrl review F05.3',
  );
  await expect(hint.isHidden()).resolves.toBe(true);
  await expect(page.getByLabel('Acting as').inputValue()).resolves.toBe('ana');
  await expect(page.getByLabel('Message #ml-reviews').inputValue()).resolves.toBe('/mltrl review F05.3');

  await page.reload();
  await page.locator('#live-status.live').waitFor();
  await expect(page.locator('#first-run').isHidden()).resolves.toBe(true);
});

test('with the repository’s people.yaml and cards, the hint follows the README’s walk-through (Sam, R07.2)', async () => {
  // The README's step 1 and step 2 name this person and project; the hint must tell the same story.
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain('Act as **Sam Okafor** (owner of R07.2)');
  expect(readme).toContain("Press **+1 day** until Sam's direct messages show a reminder");
  await pg.close();
  pg = await startPlayground({}, undefined, {
    cards: createCardDirectory(join(__dirname, '..', '..', 'cards')),
    people: loadPeople(join(__dirname, '..', '..', 'people.yaml')),
  });
  await open('max');
  const hint = page.getByRole('region', { name: 'New here?' });
  await hint.waitFor();
  await expect(hint.textContent()).resolves.toContain(
    'Act as Sam Okafor (owner of R07.2), send /mltrl review R07.2 in the channel',
  );
  await hint.getByRole('button', { name: 'Start as Sam Okafor' }).click();
  await page.waitForFunction(
    () =>
      (document.getElementById('composer-input') as HTMLInputElement | null)?.value === '/mltrl review R07.2',
  );
  await expect(page.getByLabel('Acting as').inputValue()).resolves.toBe('sam');
});

test('"Got it" closes the hint for good', async () => {
  await open('ana');
  const hint = page.getByRole('region', { name: 'New here?' });
  await hint.getByRole('button', { name: 'Got it' }).click();
  await expect(hint.isHidden()).resolves.toBe(true);
  await page.reload();
  await page.locator('#live-status.live').waitFor();
  await expect(page.locator('#first-run').isHidden()).resolves.toBe(true);
});

test('the Reset button asks first, then resets and starts the page over (hint included)', async () => {
  await pg.close();
  const resets: string[] = [];
  pg = await startPlayground({}, undefined, {
    cards: createCardDirectory(join(__dirname, '..', '..', 'cards')),
    playgroundReset: {
      async reset() {
        resets.push('reset');
        return new Date('2026-11-24T08:14:00Z');
      },
    },
  });
  await open('ana');
  await page.getByRole('region', { name: 'New here?' }).getByRole('button', { name: 'Got it' }).click();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset the playground?' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(resets).toEqual([]);

  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(dialog.textContent()).resolves.toContain('the clock goes back to now');
  await Promise.all([
    page.waitForEvent('load'),
    dialog.getByRole('button', { name: 'Delete and start over' }).click(),
  ]);
  await page.getByRole('region', { name: 'New here?' }).waitFor();
  expect(resets).toEqual(['reset']);
});
