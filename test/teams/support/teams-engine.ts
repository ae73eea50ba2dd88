import type { DeliveryFailure, Engine, EngineJob } from '../../../src/core/engine-api';
import type { ActionEvent, Actor, EngineReply, InboundEvent, PlatformName } from '../../../src/core/events';
import type { OutboundMessage } from '../../../src/core/messages';
import type { ChatPort, PostedMessage } from '../../../src/core/ports';
import { ChatDelivery } from '../../support/chat-delivery';
import { completeRetina, type TextCards } from '../../engine/harness';
import { CARD_FILE, createCeremonyRig, type CeremonyRig } from '../../support/ceremony';

/**
 * The real engine for the Teams adapter tests (built as test/support/ceremony.ts builds it: example cards,
 * people.yaml with the Teams ids of test/teams/support, the default flow, memory stores), delivering
 * through the adapter's own ChatPort at once. It only records what reaches it (`events`); every decision
 * (who may vote, the tally, when the vote closes) is the engine's.
 */
export class TeamsEngine implements Engine {
  readonly events: InboundEvent[] = [];
  readonly delivery = new ChatDelivery();
  readonly rig: CeremonyRig;

  constructor(options: { cardReady?: boolean } = {}) {
    this.rig = createCeremonyRig(this.delivery);
    // Ready by default: R07.2's gate 3 -> 4 has what it needs, so `review R07.2` opens the vote.
    if (options.cardReady !== false) this.cards.edit(CARD_FILE, completeRetina);
  }

  get cards(): TextCards {
    return this.rig.cards;
  }

  /** The vote message as posted, once `review` opened it. */
  get vote(): PostedMessage | undefined {
    return [...this.delivery.posted].find(([key]) => key.endsWith('-vote'))?.[1];
  }

  /** The adapter's ChatPort, which delivers the engine's messages (set once the app is started). */
  set chat(chat: ChatPort) {
    this.delivery.chat = chat;
  }

  handle(event: InboundEvent): Promise<EngineReply> {
    this.events.push(event);
    return this.rig.engine.handle(event);
  }
  runJob(job: EngineJob, dueAt?: Date): Promise<void> {
    return this.rig.engine.runJob(job, dueAt);
  }
  home(actor: Actor): Promise<OutboundMessage> {
    return this.rig.engine.home(actor);
  }
  cardsChanged(files: string[]): Promise<void> {
    return this.rig.engine.cardsChanged(files);
  }
  waitingOn(reviewId: string, platform?: PlatformName): Promise<string[] | undefined> {
    return this.rig.engine.waitingOn!(reviewId, platform);
  }
  deliveryFailed(failure: DeliveryFailure): Promise<void> {
    return this.rig.engine.deliveryFailed!(failure);
  }
  auditRefusedAction(event: ActionEvent, reason: string): Promise<void> {
    return this.rig.engine.auditRefusedAction!(event, reason);
  }
}
