import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startAppHarness, type AppHarness } from '../support/app-harness';
import { launchBrowser } from '../support/browser';

/**
 * The playground page in Japanese (`?lang=ja`) against the whole app, with everyone's locale `ja` and
 * DEFAULT_LOCALE=ja: the page's own words, the bot's channel message and the private reply are Japanese,
 * and CJK text renders (fonts-noto-cjk, installed by .ci/run). Writes test-output/playground-ja.png; with
 * UPDATE_SCREENSHOT=1 it refreshes the README's docs/playground-ja.png.
 */
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? join(__dirname, '..', '..', 'docs', 'playground-ja.png')
  : join(__dirname, '..', '..', 'test-output', 'playground-ja.png');

let browser: Browser;
let harness: AppHarness;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mltrl-ja-'));
  const people = (await readFile(join(__dirname, '..', '..', 'people.yaml'), 'utf8')).replace(
    /locale: en/g,
    'locale: ja',
  );
  await writeFile(join(dir, 'people.yaml'), people);
  browser = await launchBrowser();
  harness = await startAppHarness({ peopleFrom: join(dir, 'people.yaml'), env: { DEFAULT_LOCALE: 'ja' } });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);
afterAll(async () => {
  await page?.close();
  await browser?.close();
  await harness?.stop();
});

test('the playground in Japanese: page, channel message and private reply', async () => {
  await page.goto(`${harness.baseUrl}/?as=sam&lang=ja`);
  await page.locator('#live-status.live').waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('ja');
  await expect(page.getByLabel('操作する人').inputValue()).resolves.toBe('sam');
  await page.locator('#channel-list').getByRole('button', { name: '#ml-reviews' }).click();

  await page.getByLabel('#ml-reviews へのメッセージ').fill('/mltrl review R07.2');
  await page.getByLabel('#ml-reviews へのメッセージ').press('Enter');
  const report = page.locator('#message-list article[data-kind="gap-report"]:not(.ephemeral)').last();
  await report.waitFor();
  await expect(report.textContent()).resolves.toContain('ゲートレビュー: Retina lesion detector（R07.2）');
  await expect(report.textContent()).resolves.toContain('レベル 3 -> 4（概念実証（PoC）の開発）');
  const reply = page.locator('#message-list article.ephemeral').filter({ hasText: 'レビューを開始しました' });
  await reply.getByText('あなただけに表示されています').waitFor();
  // The clock reads as Japanese write it ("11月30日(月) 03:00").
  await expect(page.locator('#clock-now').textContent()).resolves.toMatch(/\d+月\d+日\(.\) \d\d:\d\d/);

  await page.screenshot({ path: SCREENSHOT });
  expect(pageErrors).toEqual([]);
}, 60_000);
