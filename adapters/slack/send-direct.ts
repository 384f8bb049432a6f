/**
 * Proactive DMs (follow-up check-ins): the Slack adapter's DirectSender. Opens the DM with
 * conversations.open, posts the replies rendered and sent exactly as in any DM (deliver.ts),
 * and turns the outcome into a DeliveryResult. Never throws; logs ids and error codes only,
 * never message text. A keyed delivery tags its messages with metadata and, on a resend, skips
 * the parts the DM's history shows already arrived.
 */
import { webApi } from "@slack/bolt";
import {
  type DeliveryKey,
  type DeliveryResult,
  type DirectSender,
  silentLogger,
} from "../../src/index.ts";
import { toBoltLogger } from "./bolt-logger.ts";
import { deliver } from "./deliver.ts";
import { PLATFORM, pick, pickString } from "./parse.ts";
import type { Logger } from "./types.ts";

/** How long one send may take in all; then it is abandoned and reported as `retry`. */
export const SEND_DIRECT_TIMEOUT_MS = 30_000;

/**
 * Slack errors that mean this user can never get the DM (user gone or deactivated, DMs from
 * apps turned off, a token that cannot open DMs): recorded as undeliverable, never retried.
 */
export const UNDELIVERABLE_ERRORS: ReadonlySet<string> = new Set([
  "user_not_found",
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
  "channel_not_found",
  "not_allowed_token_type",
  "is_archived",
  "messages_tab_disabled",
]);

/** The metadata event type that marks a keyed delivery's messages (job key and part). */
export const DELIVERY_EVENT_TYPE = "kneebot_delivery";
/** How far back in the DM a resend looks for parts that already arrived. */
export const HISTORY_LOOKBACK = 100;

type PostArgs = Parameters<webApi.WebClient["chat"]["postMessage"]>[0];

/**
 * Makes this send of a keyed delivery idempotent: every chat.postMessage carries metadata
 * with the key and the part's index; on a resend, parts already in the DM's recent history
 * (found by that metadata) are not posted again. Slack has no idempotency key, so this is
 * the lookup the scheduler's recovery needs. Returns how many parts were already there.
 */
async function keyParts(
  client: webApi.WebClient,
  channel: string,
  delivery: DeliveryKey,
  logger: Logger,
): Promise<number> {
  const found = new Map<number, string>();
  if (delivery.resend) {
    try {
      const history = await client.conversations.history({
        channel,
        limit: HISTORY_LOOKBACK,
        include_all_metadata: true,
      });
      for (const m of history.messages ?? []) {
        const meta = m.metadata as
          | { event_type?: unknown; event_payload?: Record<string, unknown> }
          | undefined;
        const part = meta?.event_payload?.part;
        if (
          meta?.event_type === DELIVERY_EVENT_TYPE &&
          meta.event_payload?.key === delivery.key &&
          typeof part === "number" &&
          typeof m.ts === "string"
        )
          found.set(part, m.ts);
      }
    } catch (err) {
      // Without the lookup a resend may repeat a part: better than not delivering at all.
      logger.warn(
        { platform: PLATFORM, surface: "direct", ...deliveryResultOf(err) },
        "slack history lookup failed",
      );
    }
  }
  const post = client.chat.postMessage.bind(client.chat);
  let part = 0;
  client.chat.postMessage = (async (args: PostArgs) => {
    const index = part++;
    const ts = found.get(index);
    if (ts !== undefined) return { ok: true, channel, ts };
    return post({
      ...args,
      metadata: {
        event_type: DELIVERY_EVENT_TYPE,
        event_payload: { key: delivery.key, part: index },
      },
    } as PostArgs);
  }) as typeof client.chat.postMessage;
  return found.size;
}

/** Options for createSlackDirectSender. */
export interface SlackDirectOptions {
  /** Bot User OAuth Token (xoxb-…), scopes im:write and chat:write. */
  botToken: string;
  /** Web API base URL (default https://slack.com/api/). */
  apiUrl?: string;
  logger?: Logger;
  /** Deadline for one whole send (default SEND_DIRECT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** fetch used for the Web API (default: global fetch). */
  fetch?: typeof fetch;
}

/** A short lowercase token for metrics and storage: `user_not_found` → `user-not-found`. */
function token(code: string): string {
  return (
    code
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "unknown"
  );
}

/** Maps a Web API failure to a DeliveryResult: permanent Slack errors or retry. */
export function deliveryResultOf(err: unknown): DeliveryResult {
  const retry = (error: string): DeliveryResult => ({ type: "retry", error });
  switch (pickString(err, "code")) {
    case webApi.ErrorCode.PlatformError: {
      const code = pickString(err, "data", "error") ?? "unknown";
      if (UNDELIVERABLE_ERRORS.has(code)) return { type: "undeliverable", reason: token(code) };
      return retry(code === "ratelimited" ? "rate-limited" : `slack-${token(code)}`);
    }
    case webApi.ErrorCode.RateLimitedError:
      return retry("rate-limited");
    case webApi.ErrorCode.HTTPError:
      return retry(`http-${String(pick(err, "statusCode") ?? "error")}`);
    case webApi.ErrorCode.RequestError: {
      const name = pickString(err, "original", "name");
      return retry(name === "TimeoutError" || name === "AbortError" ? "timeout" : "network");
    }
    default:
      return retry("exception");
  }
}

/**
 * Builds the DirectSender the follow-up scheduler delivers check-ins through. Each send makes
 * one attempt per call (no SDK retries; a 429 comes back at once as `retry`), and every call of
 * one send shares one deadline, so nothing is still in flight after the answer: the scheduler
 * owns retrying, with backoff. A failure after the first of several messages (a very long
 * reply) still counts as a failure, so the whole DM is sent again: the buttons are on the last
 * message. A check-in is one message.
 */
export function createSlackDirectSender(options: SlackDirectOptions): DirectSender {
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? SEND_DIRECT_TIMEOUT_MS;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const clientOptions: webApi.WebClientOptions = {
    logger: toBoltLogger(logger),
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };

  return async (platform, userId, replies, delivery) => {
    if (platform !== PLATFORM) return { type: "undeliverable", reason: "wrong-platform" };
    const ids = { platform: PLATFORM, surface: "direct", replies: replies.length };
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      // A client per send, so the deadline covers conversations.open and every post.
      const client = new webApi.WebClient(options.botToken, {
        ...clientOptions,
        fetch: (url, init) => fetchFn(url, { ...init, signal }),
      });
      const opened = await client.conversations.open({ users: userId });
      const channelId = opened.channel?.id;
      if (!channelId) {
        logger.warn(
          { ...ids, result: "retry", error: "no-channel" },
          "slack direct message not delivered",
        );
        return { type: "retry", error: "no-channel" };
      }
      const skipped = delivery ? await keyParts(client, channelId, delivery, logger) : 0;
      await deliver({ client, fetch: fetchFn }, { kind: "dm", channelId, userId }, replies);
      logger.info(
        { ...ids, ...(skipped > 0 ? { alreadyThere: skipped } : {}) },
        "slack direct message sent",
      );
      return { type: "sent" };
    } catch (err) {
      const result = deliveryResultOf(err);
      logger.warn(
        {
          ...ids,
          result: result.type,
          reason: result.type === "undeliverable" ? result.reason : undefined,
          error: result.type === "retry" ? result.error : undefined,
          errName: err instanceof Error ? err.name : typeof err,
        },
        "slack direct message not delivered",
      );
      return result;
    }
  };
}
