/**
 * The fake's REST API (under /api/v10). Enforces what real Discord enforces: the 3-second
 * window and single acknowledgement of interactions (10062, 40060), message limits (50035),
 * closed DMs (50007), unknown DM recipients (50033), tokens (401).
 */
import type { FakeDiscord } from "./index.ts";
import {
  type ApiMessage,
  channelJson,
  type FakeChannel,
  messageJson,
  snowflake,
} from "./objects.ts";
import type { InteractionState } from "./types.ts";
import { type ApiError, validateMessage } from "./validate.ts";

type Json = Record<string, unknown>;

/** A REST response: status and JSON body (undefined for 204). */
export interface RestResponse {
  status: number;
  body?: unknown;
}

const EPHEMERAL = 64;
const LOADING = 128;
/** Interaction tokens stay valid for follow-ups this long. */
const TOKEN_TTL_MS = 15 * 60 * 1000;

function fail(error: ApiError): RestResponse {
  const body: Json = { code: error.code, message: error.message };
  if (error.problems) body.errors = { _errors: error.problems.map((message) => ({ message })) };
  return { status: error.status, body };
}

/** Handles one REST request. `path` is URL-decoded and starts after /api/v10. */
export function handleRest(
  fake: FakeDiscord,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  auth: string | undefined,
): RestResponse {
  const isInteractionRoute = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
  if (!isInteractionRoute && auth !== `Bot ${fake.token}`) {
    return fail({ status: 401, code: 0, message: "401: Unauthorized" });
  }
  const route = `${method} ${path}`;
  for (const [pattern, handler] of routes) {
    const m = route.match(pattern);
    if (m) return handler(fake, m.slice(1) as string[], body as Json, query);
  }
  fake.unhandled.push(route);
  return fail({ status: 404, code: 0, message: `404: Not Found (${route})` });
}

type Handler = (
  fake: FakeDiscord,
  params: string[],
  body: Json,
  query: URLSearchParams,
) => RestResponse;

const routes: [RegExp, Handler][] = [
  [
    /^GET \/gateway\/bot$/,
    (fake) => ({
      status: 200,
      body: {
        url: fake.wsUrl(),
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      },
    }),
  ],
  [/^GET \/users\/@me$/, (fake) => ({ status: 200, body: fake.bot })],
  [/^PUT \/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, putCommands],
  [
    /^POST \/users\/@me\/channels$/,
    (fake, _, body) => {
      const recipient = String(body.recipient_id ?? "");
      if (!/^\d+$/.test(recipient))
        return fail({ status: 400, code: 50035, message: "Invalid Form Body" });
      // A well-formed id of nobody (never existed, or the account was deleted).
      if (!fake.users.has(recipient))
        return fail({ status: 400, code: 50033, message: "Invalid Recipient(s)" });
      return { status: 200, body: channelJson(fake.dmChannelFor(recipient), fake.users) };
    },
  ],
  [
    /^GET \/channels\/(\d+)$/,
    (fake, [id]) => {
      const channel = fake.channels.get(id!);
      if (!channel) return fail({ status: 404, code: 10003, message: "Unknown Channel" });
      return { status: 200, body: channelJson(channel, fake.users) };
    },
  ],
  [
    /^POST \/channels\/(\d+)\/messages$/,
    (fake, [id], body) => createChannelMessage(fake, id!, body),
  ],
  [
    /^GET \/channels\/(\d+)\/messages\/(\d+)$/,
    (fake, [channelId, messageId]) => {
      const message = fake.messages.get(messageId!);
      if (message?.channel_id !== channelId)
        return fail({ status: 404, code: 10008, message: "Unknown Message" });
      return { status: 200, body: message };
    },
  ],
  [
    /^POST \/channels\/(\d+)\/messages\/(\d+)\/threads$/,
    (fake, [channelId, messageId], body) => {
      const made = fake.startThread(channelId!, fake.bot, String(body.name ?? ""), messageId);
      if ("code" in made) return fail(made);
      return { status: 201, body: channelJson(made, fake.users) };
    },
  ],
  [
    /^POST \/channels\/(\d+)\/typing$/,
    (fake, [id]) => {
      if (!fake.channels.has(id!))
        return fail({ status: 404, code: 10003, message: "Unknown Channel" });
      fake.typing.push(id!);
      return { status: 204 };
    },
  ],
  [
    /^POST \/interactions\/(\d+)\/([^/]+)\/callback$/,
    (fake, [id, token], body, query) =>
      callback(fake, id!, token!, body, query.get("with_response") === "true"),
  ],
  [
    /^(PATCH|GET|DELETE) \/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/,
    (fake, [method, token, which], body) => webhookMessage(fake, method!, token!, which!, body),
  ],
  [/^POST \/webhooks\/\d+\/([^/]+)$/, (fake, [token], body) => followUp(fake, token!, body)],
];

function putCommands(fake: FakeDiscord, [appId, guildId]: string[], body: unknown): RestResponse {
  if (appId !== fake.applicationId)
    return fail({ status: 403, code: 50001, message: "Missing Access" });
  const list = Array.isArray(body) ? (body as Json[]) : [];
  fake.deployments.push({ scope: guildId ?? "global", commands: list });
  const saved = list.map((c) => ({
    ...c,
    id: snowflake(),
    application_id: fake.applicationId,
    version: snowflake(),
  }));
  return { status: 200, body: saved };
}

/**
 * How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"; the fake
 * keeps it for 5).
 */
export const NONCE_WINDOW_MS = 5 * 60 * 1000;

function createChannelMessage(fake: FakeDiscord, channelId: string, body: Json): RestResponse {
  const channel = fake.channels.get(channelId);
  if (!channel) return fail({ status: 404, code: 10003, message: "Unknown Channel" });
  const nonce = body.nonce;
  if (
    nonce !== undefined &&
    !(typeof nonce === "string" && nonce.length <= 25) &&
    !Number.isSafeInteger(nonce)
  ) {
    return fail({
      status: 400,
      code: 50035,
      message: "Invalid Form Body",
      problems: ["nonce: must be a string of at most 25 characters, or an integer"],
    });
  }
  // enforce_nonce: the same nonce from the same author within the window returns the earlier
  // message, and creates nothing.
  const nonceKey = nonce === undefined ? undefined : `${fake.bot.id}:${String(nonce)}`;
  if (nonceKey && body.enforce_nonce === true) {
    const seen = fake.nonces.get(nonceKey);
    const earlier = seen && Date.now() - seen.at < NONCE_WINDOW_MS && fake.messages.get(seen.id);
    if (earlier) {
      fake.nonceHits.push(String(nonce));
      return { status: 200, body: earlier };
    }
  }
  if (channel.type === 1 && fake.closedDms.has(channel.recipientId ?? "")) {
    return fail({ status: 403, code: 50007, message: "Cannot send messages to this user" });
  }
  const invalid = validateMessage(body, false);
  if (invalid) return fail(invalid);
  const ref = body.message_reference as Json | undefined;
  const message = messageJson({
    channel,
    author: fake.bot,
    content: String(body.content ?? ""),
    components: (body.components as unknown[]) ?? [],
    flags: Number(body.flags ?? 0) & ~EPHEMERAL,
    ...(ref ? { reference: { message_id: String(ref.message_id), channel_id: channel.id } } : {}),
  });
  if (nonce !== undefined) (message as ApiMessage & { nonce?: unknown }).nonce = nonce;
  if (nonceKey) fake.nonces.set(nonceKey, { id: message.id, at: Date.now() });
  fake.storeMessage(message, "channel", body.allowed_mentions);
  return { status: 200, body: message };
}

function callback(
  fake: FakeDiscord,
  id: string,
  token: string,
  body: Json,
  withResponse: boolean,
): RestResponse {
  const state = fake.interactions.get(id);
  const type = Number(body.type);
  const afterMs = state ? Date.now() - state.createdAt : -1;
  const record = (status: number, code?: number) =>
    fake.callbacks.push({ interactionId: id, type, afterMs, status, ...(code ? { code } : {}) });
  if (!state || state.token !== token || afterMs > fake.interactionWindowMs) {
    record(404, 10062);
    return fail({ status: 404, code: 10062, message: "Unknown interaction" });
  }
  if (state.acked) {
    record(400, 40060);
    return fail({
      status: 400,
      code: 40060,
      message: "Interaction has already been acknowledged.",
    });
  }
  const data = (body.data as Json | undefined) ?? {};
  const isComponent = state.kind === "component";
  if ((type === 6 || type === 7) && !isComponent) {
    record(400, 50035);
    return fail({
      status: 400,
      code: 50035,
      message: "Invalid Form Body",
      problems: ["type: update needs a component interaction"],
    });
  }
  if (type === 4 || type === 7) {
    const invalid = validateMessage(data, type === 7);
    if (invalid) {
      record(invalid.status, invalid.code);
      return fail(invalid);
    }
  }
  state.acked = true;
  record(204);
  let message: ApiMessage | undefined;
  if (type === 4 || type === 5) {
    const flags = Number(data.flags ?? 0);
    message = messageJson({
      channel: state.channel,
      author: fake.bot,
      content: type === 4 ? String(data.content ?? "") : "",
      components: type === 4 ? ((data.components as unknown[]) ?? []) : [],
      flags: type === 5 ? flags | LOADING : flags,
      applicationId: fake.applicationId,
    });
    state.originalId = message.id;
    if (type === 4) fake.storeMessage(message, "reply", data.allowed_mentions, id);
    else fake.messages.set(message.id, message);
  } else if (type === 6 || type === 7) {
    state.originalId = state.sourceMessageId;
    if (type === 7) message = fake.editMessage(state.sourceMessageId!, data, "update", id);
  } else {
    return fail({ status: 400, code: 50035, message: `Unsupported callback type ${type}` });
  }
  if (!withResponse) return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: { id, type: state.kind === "command" ? 2 : 3 },
      resource: { type, message },
    },
  };
}

function tokenState(fake: FakeDiscord, token: string): InteractionState | ApiError {
  const state = [...fake.interactions.values()].find((s) => s.token === token);
  if (!state?.acked || Date.now() - state.createdAt > TOKEN_TTL_MS) {
    return { status: 404, code: 10015, message: "Unknown Webhook" };
  }
  return state;
}

function webhookMessage(
  fake: FakeDiscord,
  method: string,
  token: string,
  which: string,
  body: Json,
): RestResponse {
  const state = tokenState(fake, token);
  if ("code" in state) return fail(state);
  const messageId = which === "@original" ? state.originalId : which;
  const message = messageId ? fake.messages.get(messageId) : undefined;
  if (!message) return fail({ status: 404, code: 10008, message: "Unknown Message" });
  if (method === "GET") return { status: 200, body: message };
  if (method === "DELETE") {
    fake.messages.delete(message.id);
    fake.deleted.push(message.id);
    return { status: 204 };
  }
  const invalid = validateMessage(body, true);
  if (invalid) return fail(invalid);
  const via = which === "@original" ? "edit-original" : "edit";
  const edited = fake.editMessage(message.id, body, via, state.id);
  return { status: 200, body: edited };
}

function followUp(fake: FakeDiscord, token: string, body: Json): RestResponse {
  const state = tokenState(fake, token);
  if ("code" in state) return fail(state);
  const invalid = validateMessage(body, false);
  if (invalid) return fail(invalid);
  const channel: FakeChannel = state.channel;
  const message = messageJson({
    channel,
    author: fake.bot,
    content: String(body.content ?? ""),
    components: (body.components as unknown[]) ?? [],
    flags: Number(body.flags ?? 0),
    applicationId: fake.applicationId,
  });
  fake.storeMessage(message, "followup", body.allowed_mentions, state.id);
  return { status: 200, body: message };
}
