import { createHmac } from 'node:crypto';
import { stringify } from 'node:querystring';

/**
 * Requests shaped like Slack's own: form-encoded slash commands, `payload=` JSON for interactivity,
 * JSON for the Events API; each signed with the v0 scheme (HMAC-SHA256 of `v0:<ts>:<body>`).
 */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function sign(
  secret: string,
  body: string,
  contentType: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedRequest {
  const signature = 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
  };
}

export interface CommandInput {
  text: string;
  userId: string;
  userName?: string;
  channelId?: string;
  teamId?: string;
  responseUrl: string;
}

/** Slack gives every request its own trigger id, so two identical commands never share a signature. */
function uniqueTriggerId(): string {
  return `trigger-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
}

export function slashCommandBody(input: CommandInput): string {
  return stringify({
    token: 'deprecated-verification-token',
    team_id: input.teamId ?? 'T0001',
    team_domain: 'example',
    channel_id: input.channelId ?? 'C0REVIEWS',
    channel_name: 'ml-reviews',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: '/mltrl',
    text: input.text,
    api_app_id: 'A0MLTRL',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: uniqueTriggerId(),
  });
}

export interface BlockActionInput {
  userId: string;
  actionId: string;
  value?: string;
  selectedValue?: string;
  channelId?: string;
  messageTs?: string;
  teamId?: string;
  responseUrl?: string;
}

export function blockActionBody(input: BlockActionInput): string {
  const teamId = input.teamId ?? 'T0001';
  const channelId = input.channelId ?? 'C0REVIEWS';
  const action =
    input.selectedValue !== undefined
      ? {
          type: 'static_select',
          action_id: input.actionId,
          block_id: 'b1',
          selected_option: {
            text: { type: 'plain_text', text: input.selectedValue },
            value: input.selectedValue,
          },
          action_ts: String(Date.now() / 1000),
        }
      : {
          type: 'button',
          action_id: input.actionId,
          block_id: 'b1',
          text: { type: 'plain_text', text: 'button' },
          value: input.value ?? '',
          action_ts: String(Date.now() / 1000),
        };
  const payload = {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: 'A0MLTRL',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: input.messageTs ?? '1700000000.000001',
      channel_id: channelId,
      is_ephemeral: false,
    },
    trigger_id: uniqueTriggerId(),
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'ml-reviews' },
    message: { type: 'message', ts: input.messageTs ?? '1700000000.000001', text: 'vote', blocks: [] },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [action],
  };
  return stringify({ payload: JSON.stringify(payload) });
}

export function viewSubmissionBody(input: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, { type: string; value: string | null }>>;
  teamId?: string;
}): string {
  const teamId = input.teamId ?? 'T0001';
  const payload = {
    type: 'view_submission',
    team: { id: teamId, domain: 'example' },
    user: {
      id: input.userId,
      username: input.userId.toLowerCase(),
      name: input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: 'A0MLTRL',
    token: 'deprecated-verification-token',
    trigger_id: uniqueTriggerId(),
    view: {
      id: 'V0001',
      team_id: teamId,
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata,
      state: { values: input.values },
      hash: 'h1',
      title: { type: 'plain_text', text: 'Request changes' },
      blocks: [],
      app_id: 'A0MLTRL',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return stringify({ payload: JSON.stringify(payload) });
}

export function eventBody(teamId: string, event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A0MLTRL',
    event,
    type: 'event_callback',
    event_id: `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
