import type { Engine } from '../../../src/core/engine-api';
import type { ActionEvent, CommandEvent, EngineReply, InboundEvent } from '../../../src/core/events';
import type { OutboundMessage } from '../../../src/core/messages';
import type { ChatPort, PostedMessage } from '../../../src/core/ports';

/**
 * A stand-in engine with just enough of a gate vote to drive the Teams adapter: `review R07.2` posts a vote
 * card (through the Teams ChatPort, as the delivery queue would) for the given reviewers; their votes update
 * the tally; two approvals post the outcome in the card's thread. Anyone else is refused.
 */
export class VoteFakeEngine implements Engine {
  readonly events: InboundEvent[] = [];
  chat?: ChatPort;
  vote?: PostedMessage;
  private readonly votes = new Map<string, string>();

  constructor(private readonly reviewers: string[]) {}

  async handle(event: InboundEvent): Promise<EngineReply> {
    this.events.push(event);
    return event.type === 'command' ? this.command(event) : this.action(event);
  }

  async runJob(): Promise<void> {}

  async cardsChanged(): Promise<void> {}

  async home(): Promise<OutboundMessage> {
    return { kind: 'portfolio', text: 'home', blocks: [] };
  }

  private async command(event: CommandEvent): Promise<EngineReply> {
    const [verb, project] = event.text.split(' ');
    if (verb !== 'review' || !project) {
      return {
        ephemeral: [
          {
            kind: 'usage',
            text: 'Usage: review <project>',
            blocks: [{ type: 'text', text: 'Usage: review <project>' }],
          },
        ],
      };
    }
    this.vote = await this.chat!.post(event.conversationId, this.voteMessage(project), undefined, {
      idempotencyKey: `vote:${project}`,
    });
    return { ephemeral: [] };
  }

  private async action(event: ActionEvent): Promise<EngineReply> {
    if (!this.reviewers.includes(event.actor.userId)) {
      const text = `Only the reviewers named on the card can vote on R07.2.`;
      return { ephemeral: [{ kind: 'error', text, blocks: [{ type: 'text', text }] }] };
    }
    if (event.actionId === 'vote-request-changes' && !event.reason) {
      const text = 'A "request changes" vote needs a reason.';
      return { ephemeral: [{ kind: 'error', text, blocks: [{ type: 'text', text }] }] };
    }
    this.votes.set(event.actor.userId, event.actionId);
    const updated = this.voteMessage('R07.2');
    // As the engine does through the delivery queue: everyone's copy of the card gets the new tally.
    await this.chat!.update(this.vote!, updated);
    const approvals = [...this.votes.values()].filter((vote) => vote === 'vote-approve').length;
    if (approvals === this.reviewers.length) {
      const text = `R07.2 advanced to level 4, Proof of concept development. Approved by ${this.reviewers.map((id) => `<@${id}>`).join(', ')}.`;
      await this.chat!.post(
        event.conversationId,
        { kind: 'outcome', text, blocks: [{ type: 'text', text }] },
        this.vote!.messageId,
      );
    }
    return { ephemeral: [], updated };
  }

  private voteMessage(project: string): OutboundMessage {
    const tally = this.reviewers.map((id) => `<@${id}> ${label(this.votes.get(id))}`).join(' · ');
    const value = `v1:${project}:rev-a1b2c3`;
    return {
      kind: 'vote',
      text: `Gate vote: ${project} Retina lesion detector, level 3 -> 4`,
      blocks: [
        { type: 'header', text: `Gate vote: ${project} Retina lesion detector, level 3 -> 4` },
        { type: 'fields', fields: [{ label: 'Reviewers', value: tally }] },
        {
          type: 'actions',
          actions: [
            { type: 'button', actionId: 'vote-approve', label: 'Approve', value, style: 'primary' },
            {
              type: 'button',
              actionId: 'vote-request-changes',
              label: 'Request changes',
              value,
              style: 'danger',
              asksReason: true,
            },
          ],
        },
      ],
      actionableBy: [...this.reviewers],
    };
  }
}

function label(vote: string | undefined): string {
  if (vote === 'vote-approve') return 'approved';
  if (vote === 'vote-request-changes') return 'requested changes';
  return 'pending';
}
