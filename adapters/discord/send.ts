/** Small I/O helpers shared by the interaction and message handlers. */

import type { DMChannel, User } from "discord.js";
import {
  DiscordAPIError,
  MessageFlags,
  MessagePayload,
  RESTJSONErrorCodes,
  Routes,
} from "discord.js";
import type { Engine, Reply, Turn } from "../../src/index.ts";
import type { ComponentRow, Logger, OutgoingMessage } from "./types.ts";

/** Nobody is ever pinged: user text echoed by the bot can't mention @everyone or anyone. */
export const NO_MENTIONS = { parse: [] } as const;

/** How long the engine may take before an interaction is deferred (Discord allows 3 s). */
export const DEFAULT_DEFER_AFTER_MS = 1500;

/** The JSON body fields every outgoing message gets. */
export interface Payload {
  content: string;
  components: ComponentRow[];
  allowedMentions: { parse: [] };
}

/** An outgoing message as a discord.js payload. */
export function payload(m: Pick<OutgoingMessage, "content" | "components">): Payload {
  return { content: m.content, components: m.components, allowedMentions: { parse: [] } };
}

/** An interaction reply or follow-up: ephemeral when only the asking user may see it. */
export function replyPayload(
  m: Pick<OutgoingMessage, "content" | "components">,
  ephemeral: boolean,
): Payload & { flags?: MessageFlags.Ephemeral } {
  return { ...payload(m), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** True for Discord's "Cannot send messages to this user" (DMs closed or no shared server). */
export function isDmClosed(err: unknown): boolean {
  return (
    err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser
  );
}

/** Sends messages to a user's DMs, in order. Throws the Discord error (e.g. 50007). */
export async function sendDm(
  user: User,
  messages: readonly Pick<OutgoingMessage, "content" | "components">[],
): Promise<void> {
  const dm = await user.createDM();
  for (const m of messages) await postMessage(dm, m);
}

/** Longest nonce Discord accepts on message creation. */
export const MAX_NONCE_CHARS = 25;

/**
 * Posts one message to a DM channel, as `channel.send` does, but cancellable: once `signal`
 * aborts, a request still queued (behind a rate limit, or between discord.js's retries) is
 * dropped instead of going out later. With a `nonce`, Discord enforces it (`enforce_nonce`):
 * the same nonce from the bot within a few minutes returns the earlier message and creates
 * nothing, so a resend after a crash or a lost answer is not a second message.
 */
export async function postMessage(
  channel: DMChannel,
  m: Pick<OutgoingMessage, "content" | "components">,
  signal?: AbortSignal,
  nonce?: string,
): Promise<void> {
  const { body } = MessagePayload.create(channel, payload(m)).resolveBody();
  const keyed =
    nonce !== undefined && nonce.length <= MAX_NONCE_CHARS
      ? { ...(body as Record<string, unknown>), nonce, enforce_nonce: true }
      : body;
  await channel.client.rest.post(Routes.channelMessages(channel.id), {
    body: keyed,
    ...(signal ? { signal } : {}),
  });
}

/**
 * Waits for `work`; if it hasn't settled after `afterMs`, runs `defer` (to acknowledge the
 * interaction in time) and keeps waiting. Rejections of `work` propagate.
 */
export async function withDeferral<T>(
  work: Promise<T>,
  afterMs: number,
  defer: () => Promise<unknown>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = setTimeout(() => resolve("slow"), afterMs);
  });
  const settled = work.then(
    () => "done" as const,
    () => "done" as const,
  );
  const first = await Promise.race([settled, slow]);
  clearTimeout(timer);
  if (first === "slow") await defer();
  return work;
}

/**
 * What to log about an error: never the request body (it holds message text) nor the URL
 * (it holds the interaction token).
 */
export function errorInfo(err: unknown): Record<string, unknown> {
  if (err instanceof DiscordAPIError) {
    return {
      name: err.name,
      code: err.code,
      status: err.status,
      method: err.method,
      message: err.message,
    };
  }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}

/** Ids that identify an event in logs (never the user id or the text). */
export type LogIds = Record<string, string | null | undefined>;

/** Asks the engine, turning any failure into a logged error and the engine's apology. */
export async function askEngine(
  engine: Engine,
  turn: Turn,
  logger: Logger,
  ids: LogIds,
): Promise<Reply[]> {
  try {
    return await engine.handle(turn);
  } catch (err) {
    logger.error({ err: errorInfo(err), ...ids, turnType: turn.type }, "engine failed");
    return [engine.apology()];
  }
}
