import {
  actorOf,
  clickOfData,
  clickOfInvoke,
  commandTextOf,
  isAddressedToBot,
  isCardSubmit,
} from '../../src/platforms/teams/inbound/read-activity';
import {
  channelConversationId,
  decodeConversationId,
  encodeConversationId,
  threadRootOf,
} from '../../src/platforms/teams/conversation-id';
import { channelMention, personalMessage, type TeamsUser } from './support/teams-activities';

const sam: TeamsUser = { id: '29:1sam-aad', name: 'Sam Okafor', aadObjectId: 'aad-sam' };
const url = 'http://127.0.0.1:9/';

describe('command text', () => {
  test.each([
    ['<at>mltrl</at> review R07.2', 'review R07.2'],
    ['<at>mltrl</at>&nbsp;review&nbsp;R07.2 ', 'review R07.2'],
    ['<at>mltrl</at> /mltrl status', 'status'],
    [
      '<p><at>mltrl</at> waive R07.2 testing-status 5 <at>Priya Nair</at> agreed</p>',
      'waive R07.2 testing-status 5 Priya Nair agreed',
    ],
    ['<at>mltrl</at>', ''],
  ])('channel %j -> %j', (text, expected) => {
    const activity = channelMention(url, sam, '') as Record<string, unknown>;
    expect(commandTextOf({ ...activity, text } as never)).toBe(expected);
  });

  test('a person Teams mentions becomes their id token, never their display name', () => {
    const priya = {
      type: 'mention',
      text: '<at>Priya Nair</at>',
      mentioned: { id: '29:1priya-aad', name: 'Priya Nair' },
    };
    const message = personalMessage(url, sam, 'delegate <at>Priya Nair</at> until 2026-12-20') as Record<
      string,
      unknown
    >;
    expect(commandTextOf({ ...message, entities: [priya] } as never)).toBe(
      'delegate <@29:1priya-aad> until 2026-12-20',
    );
    // Without an entity Teams vouches for, the name stays words (and a typed token is not made up).
    expect(commandTextOf(message as never)).toBe('delegate Priya Nair until 2026-12-20');
    const odd = { ...priya, mentioned: { id: '29:1priya aad>' } };
    expect(commandTextOf({ ...message, entities: [odd] } as never)).toBe(
      'delegate Priya Nair until 2026-12-20',
    );
  });

  test('1:1 words are taken as they are, a leading "mltrl" dropped', () => {
    expect(commandTextOf(personalMessage(url, sam, 'review R07.2') as never)).toBe('review R07.2');
    expect(commandTextOf(personalMessage(url, sam, 'mltrl help') as never)).toBe('help');
    expect(commandTextOf(personalMessage(url, sam, '@mltrl status R07.2') as never)).toBe('status R07.2');
  });

  test('channel messages count only when they mention the bot', () => {
    const mention = channelMention(url, sam, 'review R07.2') as Record<string, unknown>;
    expect(isAddressedToBot(mention as never)).toBe(true);
    expect(isAddressedToBot({ ...mention, entities: [] } as never)).toBe(false);
    const other = { type: 'mention', text: '<at>Priya</at>', mentioned: { id: '29:priya' } };
    expect(isAddressedToBot({ ...mention, entities: [other] } as never)).toBe(false);
    expect(isAddressedToBot(personalMessage(url, sam, 'help') as never)).toBe(true);
  });
});

test('the actor carries id, AAD object id, name, locale and time zone from clientInfo', () => {
  expect(actorOf(channelMention(url, sam, 'help') as never)).toEqual({
    platform: 'teams',
    userId: sam.id,
    altIds: [sam.aadObjectId],
    name: 'Sam Okafor',
    locale: 'en-US',
    tz: 'Europe/Berlin',
  });
});

describe('card clicks', () => {
  test('an Action.Execute with a reason and a choice', () => {
    expect(
      clickOfInvoke({
        action: {
          verb: 'vote-switchback',
          data: {
            mltrl: 'action',
            actionId: 'vote-switchback',
            'choice.vote-switchback': 'v1:R07.2:2',
            'reason.vote-switchback': ' too early ',
          },
        },
      }),
    ).toEqual({ kind: 'action', actionId: 'vote-switchback', value: 'v1:R07.2:2', reason: 'too early' });
  });

  test('refresh, and what is refused', () => {
    expect(clickOfInvoke({ action: { verb: 'refresh', data: {} } })).toEqual({ kind: 'refresh' });
    expect(clickOfInvoke({})).toMatchObject({ kind: 'invalid' });
    expect(clickOfData({ actionId: 'vote-approve' })).toMatchObject({
      kind: 'invalid',
      problem: 'not an action of our cards',
    });
    expect(clickOfData({ mltrl: 'action', actionId: 'vote-approve', value: 'x'.repeat(2001) })).toMatchObject(
      { kind: 'invalid' },
    );
    expect(
      clickOfData({
        mltrl: 'action',
        actionId: 'vote-request-changes',
        'reason.vote-request-changes': 'y'.repeat(3001),
      }),
    ).toMatchObject({ kind: 'invalid', problem: expect.stringMatching(/reason longer/) });
  });

  test('an Action.Submit arrives as a message with a value', () => {
    expect(isCardSubmit({ type: 'message', value: { mltrl: 'action' } })).toBe(true);
    expect(isCardSubmit({ type: 'message', text: 'help' })).toBe(false);
  });
});

describe('conversation ids', () => {
  const channel = '19:abc-def@thread.tacv2';
  test('opaque ids round-trip and drop the thread suffix', () => {
    const id = encodeConversationId(`${channel};messageid=1732700000001`);
    expect(id).toMatch(/^teams:[A-Za-z0-9_-]+$/);
    expect(decodeConversationId(id)).toBe(channel);
    expect(decodeConversationId('slack:T1:C1')).toBeUndefined();
    expect(decodeConversationId('teams:not base64!')).toBeUndefined();
    expect(channelConversationId(channel)).toBe(channel);
    expect(threadRootOf(`${channel};messageid=42`)).toBe('42');
    expect(threadRootOf(channel)).toBeUndefined();
  });
});
