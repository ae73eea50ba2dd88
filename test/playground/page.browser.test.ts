import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startPlayground, voteMessage, type RunningPlayground } from './playground-fixture';

/**
 * The page alone in real Chromium, against the playground platform with a recording engine: what it shows,
 * what it sends, live updates, the reason dialog and keyboard use. The whole ceremony with the real engine
 * is in ceremony.browser.test.ts.
 */
let browser: Browser;
let pg: RunningPlayground;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  pg = await startPlayground();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  (page as unknown as { failures: string[] }).failures = failures;
});
afterEach(async () => {
  const failures = (page as unknown as { failures: string[] }).failures;
  await page.close();
  await pg.close();
  expect(failures).toEqual([]);
});

async function open(as: string) {
  await page.goto(`${pg.url}/?as=${as}`);
  await page.locator('#live-status.live').waitFor();
}

test('shows who you act as with roles, the clock, channels and your own DM only', async () => {
  await open('ana');
  await expect(page.getByLabel('Acting as').inputValue()).resolves.toBe('ana');
  const options = await page.locator('#acting-as option').allTextContents();
  expect(options).toEqual([
    'Ana Lima (outsider)',
    'Priya Nair (outsider)',
    'Lee Park (admin)',
    'Max Mustermann (outsider)',
  ]);
  // 08:14 UTC is 09:14 in Berlin, Ana's time zone; Tue 24 Nov 2026.
  await expect(page.locator('#clock-now').textContent()).resolves.toBe('Tue 24 Nov 09:14 Europe/Berlin');
  const conversations = await page.locator('nav button').allTextContents();
  expect(conversations).toEqual(['Home', '#ml-reviews', '#ml-leads', 'mltrl-bot']);
});

test('a command from the composer reaches the engine; the reply is marked as only visible to you', async () => {
  await open('ana');
  await page.getByLabel('Message #ml-reviews').fill('/mltrl review R07.2');
  await page.keyboard.press('Enter');
  await page.locator('#message-list').getByText('got command "review R07.2"').waitFor();
  // Screen readers hear the new message once, through the status line.
  await expect(page.getByRole('status').filter({ hasText: 'got command' }).textContent()).resolves.toBe(
    'got command "review R07.2"',
  );
  await expect(page.locator('article.ephemeral .ephemeral-note').textContent()).resolves.toBe(
    'Only visible to you',
  );
  expect(pg.engine.events[0]).toMatchObject({
    type: 'command',
    actor: { userId: 'ana' },
    text: 'review R07.2',
  });
});

test('a refused command shows the one-line reason under the composer', async () => {
  await open('ana');
  await page.getByLabel('Message #ml-reviews').fill('hello');
  await page.getByRole('button', { name: 'Send' }).first().click();
  await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Only /mltrl commands');
});

test('messages arrive live, buttons send clicks, and the reason dialog asks before "request changes"', async () => {
  await open('priya');
  const vote = await pg.platform.chat.post('playground:ml-reviews', voteMessage);
  await pg.platform.chat.post(
    'playground:ml-reviews',
    { kind: 'notice', text: 'thread reply', blocks: [] },
    vote.messageId,
  );
  const article = page.locator(`article[data-message-id="${vote.messageId}"]`);
  await article.getByText('@Priya Nair').waitFor();

  await article.getByRole('button', { name: 'Approve' }).click();
  await page.locator('#message-list').getByText('got action vote-approve').waitFor();

  await article.getByRole('button', { name: 'Request changes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Send' }).click();
  await expect(dialog.getByRole('alert').textContent()).resolves.toBe('Please write a reason.');
  await dialog.getByLabel('Reason (shown to the owners)').fill('Testing status lacks integration tests.');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await page.locator('#message-list').getByText('got action vote-request-changes').waitFor();
  expect(pg.engine.events[1]).toMatchObject({ reason: 'Testing status lacks integration tests.' });

  await article.getByRole('button', { name: '1 reply' }).click();
  await page.locator('#thread-panel').getByText('thread reply').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('#thread-panel').waitFor({ state: 'hidden' });
});

test('the clock buttons move the clock; a DM elsewhere marks that conversation', async () => {
  await open('ana');
  await page.getByRole('button', { name: 'Move the playground clock forward by 1 day' }).click();
  await page.getByText('Wed 25 Nov 09:14 Europe/Berlin').waitFor();
  expect(pg.clock.advanced).toEqual([86_400_000]);

  await pg.platform.chat.directMessage('ana', { kind: 'nudge', text: 'please fill the card', blocks: [] });
  await page.getByRole('button', { name: /mltrl-bot.*new activity/ }).click();
  await page.getByText('please fill the card').waitFor();
});

test('Home shows what waits on the acting person, without a composer', async () => {
  await open('priya');
  await page.locator('#home-list').getByRole('button', { name: 'Home' }).click();
  await page.locator('#message-list').getByText('Waiting on @Priya Nair: nothing').waitFor();
  await expect(page.locator('#channel-title').textContent()).resolves.toBe('Home');
  await expect(page.locator('#composer').isHidden()).resolves.toBe(true);
  await page.locator('#channel-list').getByRole('button', { name: '#ml-reviews' }).click();
  await expect(page.locator('#composer').isVisible()).resolves.toBe(true);
});

test('keyboard only: tab to the composer, send, and reach the buttons', async () => {
  await open('priya');
  await pg.platform.chat.post('playground:ml-reviews', voteMessage);
  await page.getByRole('button', { name: 'Approve' }).waitFor();
  await page.locator('#composer-input').focus();
  await page.keyboard.type('/mltrl help');
  await page.keyboard.press('Enter');
  await page.locator('#message-list').getByText('got command "help"').waitFor();
  await page.getByRole('button', { name: 'Approve' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('#message-list').getByText('got action vote-approve').waitFor();
});
