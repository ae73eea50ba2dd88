import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { PlatformName } from '../src/core/events';
import { decodeAction } from '../src/core/render/action-values';
import Redis from 'ioredis';
import { createRedisStores } from '../src/storage/redis';
import { GOLDEN_STEPS, goldenMessage, runCeremony, sentValues } from './support/ceremony';
import { testRedisUrl, uniquePrefix } from './support/redis';

/**
 * Renderer goldens must show buttons the engine would take back: every value a button or select option
 * sends, in the ceremony's messages and in every golden file, decodes through the engine's own action
 * decoder (a hand-written `vote:R07.2:3:approve` would not, and a click on it is refused as forged).
 */
const GOLDEN_DIRS = [join(__dirname, 'golden'), join(__dirname, 'playground', 'golden')];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

type Json = unknown;

/** Values sent back by the actions in rendered JSON: Block Kit elements, Adaptive Card data and choices, neutral actions. */
function jsonValues(node: Json, into: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) jsonValues(item, into);
    return into;
  }
  if (!node || typeof node !== 'object') return into;
  const object = node as Record<string, Json>;
  const isLink = typeof object.url === 'string';
  // Block Kit: buttons carry `value`, selects `options[].value`; both have an action_id.
  if (typeof object.action_id === 'string' && typeof object.value === 'string' && !isLink)
    into.push(object.value);
  if (typeof object.action_id === 'string' && Array.isArray(object.options))
    for (const option of object.options as Array<{ value: string }>) into.push(option.value);
  // Adaptive Cards: Action.Execute / Action.Submit data, and the switchback choice set.
  if (object.mltrl === 'action' && typeof object.value === 'string') into.push(object.value);
  if (object.type === 'Input.ChoiceSet' && String(object.id).startsWith('choice.'))
    for (const choice of object.choices as Array<{ value: string }>) into.push(choice.value);
  // Neutral messages (the digest goldens): buttons and select options.
  if (
    object.type === 'button' &&
    typeof object.actionId === 'string' &&
    typeof object.value === 'string' &&
    !isLink
  )
    into.push(object.value);
  if (object.type === 'select' && typeof object.actionId === 'string')
    for (const option of object.options as Array<{ value: string }>) into.push(option.value);
  for (const [key, value] of Object.entries(object))
    if (key !== 'options' && key !== 'choices') jsonValues(value, into);
  return into;
}

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Values sent back by the playground's buttons and select options in rendered HTML. */
function htmlValues(html: string): string[] {
  const buttons = [...html.matchAll(/data-value="([^"]*)"/g)].map((match) => match[1]);
  const options = [...html.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1]);
  return [...buttons, ...options].map(unescapeHtml);
}

function goldenValues(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? jsonValues(JSON.parse(text)) : htmlValues(text);
}

describe.each<PlatformName>(['slack', 'teams', 'playground'])('the ceremony on %s', (platform) => {
  test('every button the engine emitted sends a value the engine decodes, before and after the golden id', async () => {
    const run = await runCeremony({ platform });
    const values = [...run.messages.keys()].flatMap((step) => [
      ...sentValues(run.messages.get(step)!),
      ...sentValues(goldenMessage(run, step)),
    ]);
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((value) => decodeAction(value) === undefined)).toEqual([]);
    // The vote's four actions: approve, request changes, abstain and three switchback levels.
    expect(sentValues(goldenMessage(run, 'vote')).map((value) => decodeAction(value)?.kind)).toEqual(
      Array(6).fill('vote'),
    );
  });
});

test('every button value in every golden file decodes through the engine', () => {
  const files = GOLDEN_DIRS.flatMap(filesUnder);
  const refused = files.flatMap((file) =>
    goldenValues(file)
      .filter((value) => decodeAction(value) === undefined)
      .map((value) => `${relative(__dirname, file)}: ${value}`),
  );
  expect(refused).toEqual([]);
  // The scan finds the vote's buttons in each platform's golden, so it can fail.
  for (const file of [
    'golden/slack/vote.json',
    'golden/teams/vote-for-reviewer.json',
    'playground/golden/vote.html.txt',
  ])
    expect(new Set(goldenValues(join(__dirname, file))).size).toBe(6); // Teams repeats them in fallbacks
});

test('the scan refuses a hand-written value', () => {
  const slack = { action_id: 'mltrl:vote-approve', value: 'vote:R07.2:3:approve' };
  expect(jsonValues(slack).map((value) => decodeAction(value))).toEqual([undefined]);
});

describe('the ceremony on Redis stores', () => {
  const redis = new Redis(testRedisUrl());
  const prefix = `{${uniquePrefix('ceremony')}}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  test('emits the same messages as on the in-memory stores, so the goldens hold for both', async () => {
    const onRedis = await runCeremony({ platform: 'slack', stores: createRedisStores(redis, prefix) });
    const inMemory = await runCeremony({ platform: 'slack' });
    for (const step of GOLDEN_STEPS)
      expect([step, goldenMessage(onRedis, step)]).toEqual([step, goldenMessage(inMemory, step)]);
  });
});
