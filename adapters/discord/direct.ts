/**
 * Proactive DMs (follow-up check-ins): the adapter's DirectSender. Opens or reuses the DM
 * channel, sends the replies rendered as for any DM (render.ts), and turns the outcome into a
 * DeliveryResult. Never throws; never logs message text or the user id. A keyed delivery sends
 * each part with a nonce derived from the key and `enforce_nonce`, so a resend within Discord's
 * nonce window (a few minutes) creates nothing new.
 */
import {
  type Client,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  RESTJSONErrorCodes,
} from "discord.js";
import { type DeliveryResult, type DirectSender, silentLogger } from "../../src/index.ts";
import { PLATFORM } from "./parse.ts";
import { renderReplies } from "./render.ts";
import { errorInfo, postMessage } from "./send.ts";
import type { Logger } from "./types.ts";

/**
 * Give up on a check-in DM after this long and report `retry`: a SQLite claim lasts 2 minutes,
 * after which another poll may start the same check-in again.
 */
export const DIRECT_SEND_TIMEOUT_MS = 30_000;

/** Discord JSON error codes after which a DM can never be delivered, and the reason recorded. */
const PERMANENT: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, "dm-closed"],
  [RESTJSONErrorCodes.UnknownUser, "user-gone"],
  // What POST /users/@me/channels answers for a user id that doesn't exist.
  [RESTJSONErrorCodes.InvalidRecipients, "user-gone"],
]);

/** Options for {@link createDiscordSender}. */
export interface DiscordSenderOptions {
  /** Give up on one delivery after this many ms (default {@link DIRECT_SEND_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/**
 * The Discord DirectSender for follow-up check-ins: pass it to `runtime.startDelivery`. Uses
 * only the REST API, so any shard's client can send.
 */
export function createDiscordSender(
  client: Client,
  logger: Logger = silentLogger,
  options: DiscordSenderOptions = {},
): DirectSender {
  const timeoutMs = options.timeoutMs ?? DIRECT_SEND_TIMEOUT_MS;
  return async (platform, userId, replies, delivery) => {
    if (platform !== PLATFORM) return { type: "undeliverable", reason: "wrong-platform" };
    if (!/^\d{1,20}$/.test(userId)) return { type: "undeliverable", reason: "bad-user-id" };
    const messages = renderReplies(replies, "dm");
    if (messages.length === 0) return { type: "undeliverable", reason: "empty" };
    const signal = AbortSignal.timeout(timeoutMs);
    let sent = 0;
    try {
      await untilAborted(
        (async () => {
          const dm = await client.users.createDM(userId);
          for (const m of messages) {
            // One nonce per part, the same on every attempt: a resend returns what was created.
            const nonce = delivery ? `${delivery.key}.${sent}` : undefined;
            await postMessage(dm, m, signal, nonce);
            sent += 1;
          }
        })(),
        signal,
      );
      return { type: "sent" };
    } catch (err) {
      const result = classifySendError(err);
      // A retry resends every part: a duplicate first part beats a question without buttons.
      const ids = { result: result.type, parts: messages.length, sentParts: sent };
      if (result.type === "undeliverable") {
        logger.info({ ...ids, reason: result.reason }, "check-in DM undeliverable");
      } else {
        logger.warn({ ...ids, error: result.error, err: errorInfo(err) }, "check-in DM failed");
      }
      return result;
    }
  };
}

/** What a failed delivery comes to: permanent (undeliverable) or transient (retry). */
export function classifySendError(err: unknown): Exclude<DeliveryResult, { type: "sent" }> {
  if (err instanceof DiscordAPIError) {
    const reason = typeof err.code === "number" ? PERMANENT.get(err.code) : undefined;
    if (reason) return { type: "undeliverable", reason };
    if (err.status === 429) return { type: "retry", error: "rate-limited" };
    // Anything else (a 401 after a token reset, a 5xx with a body…) may pass on a later try;
    // the scheduler gives up after MAX_ATTEMPTS.
    return { type: "retry", error: `http-${err.status}` };
  }
  if (err instanceof HTTPError) return { type: "retry", error: `http-${err.status}` };
  if (err instanceof RateLimitError) return { type: "retry", error: "rate-limited" };
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return { type: "retry", error: "timeout" };
  }
  if (isNetworkError(err)) return { type: "retry", error: "network" };
  return { type: "retry", error: "error" };
}

function isNetworkError(err: unknown): boolean {
  // undici: TypeError("fetch failed") with the socket error (ECONNREFUSED…) as its cause.
  for (let e = err, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)) return true;
    if (e.message === "fetch failed") return true;
  }
  return false;
}

/**
 * Settles like `work`, or rejects with the abort reason as soon as `signal` aborts: discord.js
 * checks the signal only between steps (a rate-limit wait doesn't end early).
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
