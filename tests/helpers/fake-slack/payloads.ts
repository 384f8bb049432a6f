/**
 * Builders for what Slack sends an app (event callbacks, slash commands, block_actions), and
 * the v0 request signing Slack applies to HTTP deliveries.
 */
import { createHmac } from "node:crypto";
import { FAKE_BOT } from "./server.ts";

let counter = 0;
/** A unique id with a prefix (event ids, trigger ids, timestamps). */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** Headers Slack sends with an HTTP delivery, signed `v0:${ts}:${body}` with the secret. */
export function signedHeaders(
  secret: string,
  body: string,
  options: { ts?: number; contentType?: string; retryNum?: number } = {},
): Record<string, string> {
  const ts = options.ts ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    "content-type": options.contentType ?? "application/json",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signature,
    ...(options.retryNum !== undefined
      ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" }
      : {}),
  };
}

/** An Events API callback wrapping `event`. */
export function eventCallback(event: Record<string, unknown>, eventId = nextId("Ev")) {
  return {
    token: "legacy",
    team_id: FAKE_BOT.teamId,
    api_app_id: "A0KNEE",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_BOT.teamId, user_id: FAKE_BOT.userId, is_bot: true }],
    event,
  };
}

/** An app_mention event in a channel. */
export function mentionEvent(
  user: string,
  channel: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: "app_mention",
    user,
    channel,
    text,
    ts: nextId("17000."),
    event_ts: "1",
    ...extra,
  };
}

/** A message event in the bot's DM with `user`. */
export function dmEvent(user: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: "message",
    channel_type: "im",
    channel: `D${user}`,
    user,
    text,
    ts: nextId("17000."),
    event_ts: "1",
    ...extra,
  };
}

/** A slash command's fields (form-encoded over HTTP, the payload in Socket Mode). */
export function slashCommand(user: string, channel: string, text: string, responseUrl: string) {
  return {
    token: "legacy",
    team_id: FAKE_BOT.teamId,
    team_domain: "club",
    channel_id: channel,
    channel_name: channel.startsWith("D") ? "directmessage" : "general",
    user_id: user,
    user_name: "runner",
    command: "/knee",
    text,
    api_app_id: "A0KNEE",
    response_url: responseUrl,
    trigger_id: nextId("trig."),
  };
}

/** A block_actions payload for one action on a message. */
export function blockActions(options: {
  user: string;
  channel: string;
  action: Record<string, unknown>;
  responseUrl: string;
  ephemeral?: boolean;
  message?: Record<string, unknown>;
  state?: Record<string, unknown>;
}) {
  const messageTs = (options.message?.ts as string | undefined) ?? nextId("17000.");
  return {
    type: "block_actions",
    team: { id: FAKE_BOT.teamId, domain: "club" },
    user: { id: options.user, username: "runner", team_id: FAKE_BOT.teamId },
    api_app_id: "A0KNEE",
    token: "legacy",
    container: {
      type: "message",
      message_ts: messageTs,
      channel_id: options.channel,
      is_ephemeral: options.ephemeral ?? false,
    },
    trigger_id: nextId("trig."),
    channel: { id: options.channel, name: "general" },
    ...(options.ephemeral
      ? {}
      : { message: { type: "message", ts: messageTs, ...options.message } }),
    state: { values: options.state ?? {} },
    response_url: options.responseUrl,
    actions: [{ action_ts: nextId("17000."), ...options.action }],
  };
}

/** A message event in a shared channel, as `message.channels` delivers it. */
export function channelMessageEvent(
  user: string,
  channel: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  const ts = nextId("17000.");
  return {
    type: "message",
    channel_type: "channel",
    channel,
    user,
    text,
    ts,
    event_ts: ts,
    ...extra,
  };
}

/** A message shortcut (⋮ on a message → the shortcut) run by `user` on `message`. */
export function messageShortcut(options: {
  user: string;
  channel: string;
  message: { user: string; text: string; ts: string; thread_ts?: string };
  responseUrl: string;
  callbackId?: string;
}) {
  return {
    type: "message_action",
    token: "legacy",
    action_ts: nextId("17000."),
    team: { id: FAKE_BOT.teamId, domain: "club" },
    user: { id: options.user, name: "runner", team_id: FAKE_BOT.teamId },
    channel: { id: options.channel, name: "general" },
    is_enterprise_install: false,
    callback_id: options.callbackId ?? "ask_kneebot",
    trigger_id: nextId("trig."),
    response_url: options.responseUrl,
    message_ts: options.message.ts,
    message: { type: "message", ...options.message },
  };
}

/** `app_home_opened` for `user`'s Home tab. */
export function homeOpenedEvent(user: string) {
  return { type: "app_home_opened", user, channel: `D${user}`, tab: "home", event_ts: "1" };
}

/** A click on a control of the Home tab (`block_actions` from a view, no channel). */
export function homeAction(user: string, action: Record<string, unknown>) {
  return {
    type: "block_actions",
    team: { id: FAKE_BOT.teamId, domain: "club" },
    user: { id: user, username: "runner", team_id: FAKE_BOT.teamId },
    api_app_id: "A0KNEE",
    token: "legacy",
    container: { type: "view", view_id: `VHOME${user}` },
    trigger_id: nextId("trig."),
    view: { id: `VHOME${user}`, type: "home", callback_id: "kneebot_home" },
    actions: [{ action_ts: nextId("17000."), ...action }],
  };
}
