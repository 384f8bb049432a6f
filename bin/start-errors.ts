/**
 * What `npm start` says when a platform can't be reached or refuses the bot: one line naming
 * what failed and what to check, never a stack trace. The configuration errors already read
 * this way; these are the ones that only show up when kneebot talks to the network.
 */
import { lookup } from "node:dns/promises";
import { ConfigError, formatConfigError } from "../src/config.ts";
import { isKneebotError, KneebotError } from "../src/errors.ts";

/** A platform the app connects to at start. */
export type StartPlatform = "discord" | "slack";

const NAMES: Record<StartPlatform, { name: string; urlVar: string; defaultUrl: string }> = {
  discord: { name: "Discord", urlVar: "DISCORD_API_URL", defaultUrl: "https://discord.com/api" },
  slack: { name: "Slack", urlVar: "SLACK_API_URL", defaultUrl: "https://slack.com/api/" },
};

/** Name lookups that fail when the computer is offline or its DNS is broken. */
const LOOKUP_FAILED = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME"]);
/** Connections that fail on the way: refused, reset, timed out, no route. */
const CONNECT_FAILED = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
]);

/** The first string `code` along an error's cause chain (fetch wraps the socket error). */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The host kneebot talks to for a platform, from its API URL setting or the default. */
export function platformHost(platform: StartPlatform, apiUrl?: string): string {
  try {
    return new URL(apiUrl ?? NAMES[platform].defaultUrl).hostname;
  } catch {
    return apiUrl ?? "";
  }
}

/**
 * One line for a platform that failed to start: what failed and what to check. `apiUrl` is the
 * platform's API URL setting when one is set (tests and proxies), so the hint can name it.
 */
export function describeStartFailure(
  platform: StartPlatform,
  err: unknown,
  apiUrl?: string,
): string {
  const { name, urlVar } = NAMES[platform];
  const host = platformHost(platform, apiUrl);
  const urlHint = apiUrl ? ` and ${urlVar} (${apiUrl})` : "";
  const code = errorCode(err);
  if (code && LOOKUP_FAILED.has(code)) {
    return `Could not reach ${name}: looking up ${host} failed (${code}). Check this computer's internet connection${urlHint}.`;
  }
  if (code && CONNECT_FAILED.has(code)) {
    return `Could not connect to ${name} at ${host} (${code}). Check the internet connection, and any firewall or proxy between this computer and ${host}${urlHint}.`;
  }
  if (platform === "discord" && code === "TokenInvalid") {
    return "Discord refused DISCORD_TOKEN. Copy the bot token again from the Discord Developer Portal (your app → Bot → Reset Token).";
  }
  if (platform === "discord" && (code === "DisallowedIntents" || code === "4014")) {
    return "Discord refused the bot's intents. Turn on Message Content Intent in the Discord Developer Portal (your app → Bot → Privileged Gateway Intents).";
  }
  const detail = err instanceof Error ? err.message : String(err);
  return `Starting ${name} failed (${oneLine(detail)}). Check the ${name} settings in your .env; LOG_LEVEL=debug logs more.`;
}

/**
 * Fails fast, in words, when the platform's host can't even be looked up (no network). Without
 * it, Slack's client retries its first call for minutes before giving up.
 */
export async function checkReachable(platform: StartPlatform, apiUrl?: string): Promise<void> {
  const host = platformHost(platform, apiUrl);
  if (!host) return;
  try {
    await lookup(host);
  } catch (err) {
    throw new KneebotError("platform", describeStartFailure(platform, err, apiUrl), {
      cause: err,
    });
  }
}

function oneLine(text: string): string {
  const first = text.split("\n")[0]!.trim();
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/**
 * What to tell the person starting the bot: the problem and how to fix it, no stack trace. A
 * one-line problem stays on one line; a list (every bad knowledge file) goes below the heading.
 * Only LOG_LEVEL=debug or trace adds the stack of an unexpected error.
 */
export function startFailure(err: unknown, env: Record<string, string | undefined>): string {
  if (err instanceof ConfigError) return formatConfigError(err);
  if (isKneebotError(err)) {
    const sep = err.message.includes("\n") ? "\n" : " ";
    return `kneebot cannot start:${sep}${err.message}`;
  }
  const debug = env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace";
  if (debug && err instanceof Error && err.stack)
    return `kneebot crashed while starting: ${err.stack}`;
  const detail = err instanceof Error ? err.message : String(err);
  return `kneebot crashed while starting: ${detail.split("\n")[0]}. Set LOG_LEVEL=debug to see where.`;
}
