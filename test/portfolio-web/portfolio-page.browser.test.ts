import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { launchBrowser } from '../support/browser';
import { command, portfolioLink } from './support';

/**
 * The portfolio page in real Chromium against the whole app: the chart, every project in a table that
 * sorts by the column pressed (and back), the page in the reader's language, and the 403 page.
 */
let browser: Browser;
let harness: AppHarness;
let page: Page;
const failures: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  // Priya reads Japanese in this run: her link opens the page in Japanese.
  const dir = mkdtempSync(join(tmpdir(), 'mltrl-people-'));
  const peopleFile = join(dir, 'people.yaml');
  const people = readFileSync(join(__dirname, '..', '..', 'people.yaml'), 'utf8');
  writeFileSync(peopleFile, people.replace(/(name: Priya Nair[\s\S]*?locale: )en/, '$1ja'));
  harness = await startAppHarness({ peopleFrom: peopleFile });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});
beforeEach(async () => {
  failures.length = 0;
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => failures.push(error.message));
});
afterEach(async () => {
  await page.close();
  expect(failures).toEqual([]);
});

const column = (index: number) =>
  page
    .locator('#projects tbody tr')
    .evaluateAll(
      (rows, at) => rows.map((row) => (row as HTMLTableRowElement).cells[at as number].textContent ?? ''),
      index,
    );

test('the page shows the chart and every project; pressing a column heading sorts by it, again reverses', async () => {
  const [reply] = await command(harness, 'sam', 'review R07.2');
  expect(reply.message.text).toContain('R07.2');
  const [portfolio] = await command(harness, 'sam', 'portfolio');
  await page.goto(portfolioLink(portfolio.message));

  await expect(page.locator('h1').textContent()).resolves.toBe('ML readiness portfolio');
  const chart = page.getByRole('img', { name: /Bar chart of \d+ projects by MLTRL level/ });
  await expect(chart.isVisible()).resolves.toBe(true);

  const ids = await column(0);
  expect(ids.length).toBeGreaterThanOrEqual(7);
  expect(ids).toEqual([...ids].sort());
  // The review Sam opened shows its gate, stage, whom it waits on and its oldest gap.
  const r072 = page.locator('#projects tbody tr', { hasText: 'R07.2' });
  await expect(r072.locator('td').allTextContents()).resolves.toEqual([
    'Retina lesion detector',
    '3',
    // Opening the review records the level it starts from.
    '3',
    '3 -> 4',
    'card gaps',
    expect.stringMatching(/Ana Lima|Sam Okafor/),
    expect.stringMatching(/^(Code repo & docs|Testing status), less than a day$/),
  ]);

  await page.getByRole('button', { name: 'Sort by Card level' }).click();
  const levels = (await column(2)).map(Number);
  expect(levels).toEqual([...levels].sort((a, b) => a - b));
  await expect(
    page.getByRole('columnheader', { name: 'Sort by Card level' }).getAttribute('aria-sort'),
  ).resolves.toBe('ascending');
  await page.getByRole('button', { name: 'Sort by Card level' }).click();
  const descending = (await column(2)).map(Number);
  expect(descending).toEqual([...levels].sort((a, b) => b - a));
  await expect(
    page.getByRole('columnheader', { name: 'Sort by Card level' }).getAttribute('aria-sort'),
  ).resolves.toBe('descending');
  await expect(
    page.getByRole('columnheader', { name: 'Sort by ID' }).getAttribute('aria-sort'),
  ).resolves.toBe('none');

  await page.getByRole('button', { name: 'Sort by Name' }).click();
  const names = await column(1);
  expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

  // The digest's lists are there in full.
  await page.getByRole('heading', { name: 'Waiting on people' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(overflow).toBe(true);
});

test('a Japanese reader gets the page in Japanese', async () => {
  const [portfolio] = await command(harness, 'priya', 'portfolio');
  await page.goto(portfolioLink(portfolio.message));
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ja');
  await expect(page.locator('h1').textContent()).resolves.toBe('ML 成熟度ポートフォリオ');
  await page.getByRole('button', { name: 'カードのレベルで並べ替え' }).waitFor();
});

test('a changed link shows the refusal page with no data', async () => {
  const [portfolio] = await command(harness, 'sam', 'portfolio');
  const link = portfolioLink(portfolio.message);
  const response = await page.goto(
    link.replace(/t=(.)/, (_m, first: string) => `t=${first === 'e' ? 'f' : 'e'}`),
  );
  expect(response?.status()).toBe(403);
  await expect(page.locator('h1').textContent()).resolves.toBe('This portfolio link does not work');
  await expect(page.locator('table').count()).resolves.toBe(0);
});
