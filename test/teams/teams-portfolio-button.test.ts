import type { Engine } from '../../src/core/engine-api';
import type { Actor, EngineReply, InboundEvent } from '../../src/core/events';
import type { OutboundMessage } from '../../src/core/messages';
import { FakeBotConnector, type FakeMember } from '../support/fake-bot-connector';
import { TENANT, cardInvoke, installInTeam, type TeamsUser } from './support/teams-activities';
import { startTeamsTestApp, type TeamsTestApp } from './support/teams-test-app';

/**
 * The digest's "Open the portfolio" clicked in Teams: the portfolio (with the clicker's own page link)
 * arrives as a card in their 1:1 chat, and the click is answered with where to find it.
 */
const priya: TeamsUser & FakeMember = {
  id: '29:1priya-aad',
  name: 'Priya Nair',
  aadObjectId: '00000000-0000-4000-8000-priya0000000',
  email: 'priya@example.org',
  userPrincipalName: 'priya@example.org',
  tenantId: TENANT,
};

/** Answers the portfolio button with a portfolio carrying a link, as the engine does. */
class PortfolioEngine implements Engine {
  readonly events: InboundEvent[] = [];
  async handle(event: InboundEvent): Promise<EngineReply> {
    this.events.push(event);
    if (event.type !== 'action' || event.actionId !== 'open-portfolio') return { ephemeral: [] };
    const message: OutboundMessage = {
      kind: 'portfolio',
      text: 'ML readiness portfolio: 7 projects',
      blocks: [
        { type: 'header', text: 'ML readiness portfolio' },
        {
          type: 'actions',
          actions: [
            {
              type: 'button',
              actionId: 'open-portfolio',
              label: 'Open the portfolio',
              value: 'link',
              url: `https://bot.example.org/portfolio?t=for-${event.actor.userId}`,
            },
          ],
        },
      ],
    };
    return { ephemeral: [message] };
  }
  async runJob(): Promise<void> {}
  async cardsChanged(): Promise<void> {}
  async home(actor: Actor): Promise<OutboundMessage> {
    return { kind: 'portfolio', text: actor.userId, blocks: [] };
  }
}

let connector: FakeBotConnector;
let app: TeamsTestApp;
let engine: PortfolioEngine;

beforeEach(async () => {
  connector = await new FakeBotConnector([priya]).start();
  engine = new PortfolioEngine();
  app = await startTeamsTestApp({ engine });
});
afterEach(async () => {
  await app.stop();
  await connector.stop();
});

test('the portfolio goes to the 1:1 chat as a card with the link; the click says so', async () => {
  expect((await app.send(installInTeam(connector.url, priya))).status).toBe(200);
  const clicked = await app.send(
    cardInvoke(connector.url, priya, 'digest-1', 'open-portfolio', {
      mltrl: 'action',
      actionId: 'open-portfolio',
      value: 'p1|all',
    }),
  );
  expect(clicked.status).toBe(200);
  expect(clicked.body).toEqual({
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: 'I sent you the portfolio in our 1:1 chat.',
  });
  expect(engine.events.at(-1)).toMatchObject({ type: 'action', actionId: 'open-portfolio', value: 'p1|all' });
  const posts = connector.of('post').filter((call) => call.conversationId === `a:personal-${priya.id}`);
  expect(posts).toHaveLength(1);
  expect(JSON.stringify(posts[0].body)).toContain(
    '"type":"Action.OpenUrl","title":"Open the portfolio","url":"https://bot.example.org/portfolio?t=for-29:1priya-aad"',
  );
});
