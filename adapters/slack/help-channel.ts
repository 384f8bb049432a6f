/**
 * Help channels (SLACK_HELP_CHANNELS, opt-in): the bot reads members' messages there without a
 * mention and hands them to the engine as overheard turns, which answer only when sure. What
 * only Slack knows is decided here, so it never reaches the engine: bot posts and edits, thread
 * replies (members talking to each other, or a follow-up in a thread the bot already answered:
 * a mention there reaches the bot as a mention), messages addressed to another member, and
 * messages that mention the bot (the mention listener answers those). Answers go in a thread
 * on the message.
 */
import type { App } from "@slack/bolt";
import type { Turn } from "../../src/index.ts";
import type { Target } from "./deliver.ts";
import { base, duplicate, type HandlerDeps, runTurn } from "./handlers.ts";
import { PLATFORM, pick, pickString, slackTextToPlain } from "./parse.ts";

/** Logged (with the reason, never the text) for a message in a help channel left alone. */
export const SKIPPED = "slack help channel message left alone";

/** Why a message in a help channel is left alone, or undefined when the engine should read it. */
export function skipReason(
  event: unknown,
  channels: ReadonlySet<string>,
  botUserId: string,
): string | undefined {
  const channel = pickString(event, "channel") ?? "";
  if (!channels.has(channel) || pickString(event, "channel_type") === "im") return "not-help";
  // Edits, joins, thread broadcasts, bot posts: not a member asking.
  if (pick(event, "subtype") !== undefined || pick(event, "bot_id") !== undefined)
    return "not-user";
  const user = pickString(event, "user");
  if (!user || user === botUserId) return "not-user";
  const ts = pickString(event, "ts");
  const threadTs = pickString(event, "thread_ts");
  if (threadTs !== undefined && threadTs !== ts) return "thread-reply";
  const text = pickString(event, "text") ?? "";
  const mentioned = [...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]);
  if (mentioned.includes(botUserId)) return "mention";
  if (mentioned.length > 0) return "to-a-member";
  return undefined;
}

/** Listens to messages in `channels` (channel ids); does nothing when there are none. */
export function registerHelpChannels(app: App, deps: HandlerDeps, channels: readonly string[]) {
  if (channels.length === 0) return;
  const listed = new Set(channels);
  app.event("message", async ({ event, body, client }) => {
    const skipped = skipReason(event, listed, deps.botUserId);
    if (skipped === "not-help") return;
    if (skipped !== undefined) {
      const channel = pickString(event, "channel");
      deps.logger.info({ platform: PLATFORM, channel, reason: skipped }, SKIPPED);
      return;
    }
    const channelId = pickString(event, "channel")!;
    const userId = pickString(event, "user")!;
    const ts = pickString(event, "ts") ?? "";
    const ids = { surface: "help-channel", eventId: body.event_id, channel: channelId };
    if (await duplicate(deps, `event:${body.event_id}`, ids)) return;
    const text = slackTextToPlain(pickString(event, "text") ?? "", deps.botUserId);
    if (!text) return;
    const ctx = { client, fetch: deps.fetch };
    const target: Target = { kind: "thread", channelId, threadTs: ts, userId, generic: false };
    const turn: Turn = {
      ...(await base(deps, client, userId, channelId)),
      overheard: true,
      type: "text",
      text,
    };
    await runTurn(deps, ctx, target, turn, ids);
  });
}
