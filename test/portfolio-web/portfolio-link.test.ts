import { startAppHarness, type AppHarness } from '../support/app-harness';
import { command, playgroundApi, portfolioLink, type Posted } from './support';

/**
 * The signed portfolio page over HTTP against the whole app (engine, Redis, queues, controllable clock):
 * `portfolio` and Home hand the asker a link of their own; the link opens the page for an hour on the
 * bot's clock; a missing, changed or expired link gets 403 with no data. The digest's button answers the
 * clicker privately with the portfolio and their own link.
 */
let harness: AppHarness;

beforeAll(async () => {
  harness = await startAppHarness();
}, 60_000);
afterAll(async () => {
  await harness?.stop();
});

async function get(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

test("`portfolio` gives a link of the asker's own; it opens the page with every project and the chart", async () => {
  const [reply] = await command(harness, 'sam', 'portfolio');
  const link = portfolioLink(reply.message);
  expect(link.startsWith(`${harness.baseUrl}/portfolio?t=`)).toBe(true);

  const page = await get(link);
  expect(page.status).toBe(200);
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.body).toContain('<h1>ML readiness portfolio</h1>');
  for (const id of ['R07.2', 'T07.8', 'S02.1', 'F05.3']) expect(page.body).toContain(`>${id}</th>`);
  expect(page.body).toMatch(/<svg role="img" aria-label="Bar chart of \d+ projects by MLTRL level/);
  // Sam reads London time: the page says until when the link works, with a date and "your time".
  expect(page.body).toMatch(/this link works until \w{3} \d{1,2} \w{3}, \d{2}:\d{2} your time/);
  // Card text is escaped, never markup.
  expect(page.body).not.toMatch(/<script>(?!<\/script>)/);
});

test('the same signed link serves the chart alone as a PNG (for Slack’s Home); a changed link gets 403', async () => {
  const [reply] = await command(harness, 'sam', 'portfolio');
  const token = new URL(portfolioLink(reply.message)).searchParams.get('t')!;
  const response = await fetch(`${harness.baseUrl}/portfolio/chart.png?t=${token}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await response.arrayBuffer());
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // The second-last character: the last one of a 43-character MAC carries two unused bits.
  const changed = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
  expect((await fetch(`${harness.baseUrl}/portfolio/chart.png?t=${changed}`)).status).toBe(403);
  expect((await fetch(`${harness.baseUrl}/portfolio/chart.png`)).status).toBe(403);
});

test("Home carries the viewer's own link too", async () => {
  const { message } = await playgroundApi<{ message: Posted['message'] }>(harness, '/home?as=priya');
  const page = await get(portfolioLink(message));
  expect(page.status).toBe(200);
  expect(page.body).toContain('>R07.2</th>');
});

test('a missing, cut, changed or re-signed link gets 403 and no data', async () => {
  const [reply] = await command(harness, 'ana', 'portfolio');
  const link = portfolioLink(reply.message);
  const token = new URL(link).searchParams.get('t')!;
  const [body, mac] = token.split('.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...payload, e: (payload.e as number) + 86_400 })).toString(
    'base64url',
  );
  const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
  const cases = {
    missing: `${harness.baseUrl}/portfolio`,
    empty: `${harness.baseUrl}/portfolio?t=`,
    cut: link.slice(0, -5),
    'changed signature': `${harness.baseUrl}/portfolio?t=${body}.${flipped}`,
    'longer expiry, old signature': `${harness.baseUrl}/portfolio?t=${forged}.${mac}`,
    'two tokens': `${link}&t=${token}`,
  };
  for (const [name, url] of Object.entries(cases)) {
    const page = await get(url);
    expect({ name, status: page.status }).toEqual({ name, status: 403 });
    expect(page.body).toContain('This portfolio link does not work');
    expect(page.body).not.toContain('R07.2');
    expect(page.body).not.toContain('<table');
  }
  expect((await get(cases.missing)).body).toContain('opens only through a link from the bot');
  expect((await get(cases['changed signature'])).body).toContain('incomplete or was changed');
});

test("a link stops working after an hour on the bot's clock, and says when it expired", async () => {
  const [reply] = await command(harness, 'li', 'portfolio');
  const link = portfolioLink(reply.message);
  await harness.clock.advance(59 * 60_000);
  expect((await get(link)).status).toBe(200);
  await harness.clock.advance(2 * 60_000);
  const page = await get(link);
  expect(page.status).toBe(403);
  // Li reads New York time; the refusal names the moment in it.
  expect(page.body).toMatch(/It expired on \w{3} \d{1,2} \w{3}, \d{2}:\d{2} your time/);
  expect(page.body).not.toContain('R07.2');
  // A fresh `portfolio` gives a fresh link.
  const [again] = await command(harness, 'li', 'portfolio');
  expect((await get(portfolioLink(again.message))).status).toBe(200);
});

test('the digest\'s "Open the portfolio" answers the clicker privately with the portfolio and their own link', async () => {
  await command(harness, 'lee', 'digest now');
  let digest: Posted | undefined;
  for (let attempt = 0; attempt < 200 && !digest; attempt++) {
    const { messages } = await playgroundApi<{ messages: Posted[] }>(
      harness,
      '/conversations/playground:ml-reviews/messages?as=priya',
    );
    digest = messages.find((entry) => entry.message.kind === 'digest');
    if (!digest) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(digest).toBeDefined();
  const button = digest!.message.blocks
    .flatMap((block) => (block.type === 'actions' ? block.actions : []))
    .find((action) => action.actionId === 'open-portfolio');
  expect(button).toMatchObject({ type: 'button', label: 'Open the portfolio', value: 'p1|all' });
  expect(button && 'url' in button ? button.url : undefined).toBeUndefined();

  const { ephemeral } = await playgroundApi<{ ephemeral: Posted[] }>(
    harness,
    `/messages/${digest!.id}/actions`,
    { as: 'priya', actionId: 'open-portfolio', value: 'p1|all' },
  );
  expect(ephemeral).toHaveLength(1);
  expect(ephemeral[0].message.kind).toBe('portfolio');
  expect(ephemeral[0].message.text).toContain('ML readiness portfolio');
  const page = await get(portfolioLink(ephemeral[0].message));
  expect(page.status).toBe(200);

  // A value the digest never carried is refused, privately and without a change.
  const forged = await playgroundApi(harness, `/messages/${digest!.id}/actions`, {
    as: 'priya',
    actionId: 'open-portfolio',
    value: 'p1|mine',
  }).catch((error: Error) => error.message);
  expect(forged).toContain('400 {"error":{"code":"unknown-action"');
});
