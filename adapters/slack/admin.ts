/**
 * `/knee admin` (or `/knee admin stats`): the organiser's summary, shown only to the asking
 * user, and only to workspace admins and owners (users.info, scope users:read) or the user ids
 * listed in SLACK_ADMIN_USER_IDS. Not an engine command: the adapter decides who may see it and
 * the app supplies the text.
 */
import type { webApi } from "@slack/bolt";
import type { Reply } from "../../src/index.ts";
import { apologise, type DeliverContext, deliver, type Target } from "./deliver.ts";
import type { Logger } from "./types.ts";

/** Who may see the summary, and what builds it. */
export interface SlackAdmin {
  /** Builds the summary text (none: the command says it is unavailable). */
  stats?: () => Promise<string>;
  /** Users who may see it besides workspace admins and owners. */
  userIds: readonly string[];
}

/** What the admin command says besides the summary. */
export const SLACK_ADMIN_TEXT = {
  refused:
    "Only workspace admins, or the people listed in SLACK_ADMIN_USER_IDS, can see kneebot's stats.",
  unavailable: "Stats are not available on this bot (it was started without an insight store).",
} as const;

/** True when the slash command's text asks for the admin summary ("admin" or "admin stats"). */
export function isAdminText(text: string): boolean {
  return /^admin(\s+stats)?$/i.test(text.trim());
}

/** Whether `userId` is a workspace admin or owner, or listed; a failed look-up counts as no. */
export async function isSlackAdmin(
  client: webApi.WebClient,
  userId: string,
  listed: readonly string[],
  logger: Logger,
): Promise<boolean> {
  if (listed.includes(userId)) return true;
  try {
    const { user } = await client.users.info({ user: userId });
    return user?.is_admin === true || user?.is_owner === true;
  } catch (err) {
    const apiError = (err as { data?: { error?: unknown } }).data?.error;
    logger.warn(
      { platform: "slack", apiError: typeof apiError === "string" ? apiError : undefined },
      "slack admin check failed: refused",
    );
    return false;
  }
}

/** Answers `/knee admin` on the command's response_url, ephemeral whatever the outcome. */
export async function answerAdmin(
  ctx: DeliverContext,
  target: Extract<Target, { kind: "respond" }>,
  admin: SlackAdmin | undefined,
  logger: Logger,
  apology: Reply,
): Promise<void> {
  try {
    const allowed = await isSlackAdmin(ctx.client, target.userId, admin?.userIds ?? [], logger);
    const text = !allowed
      ? SLACK_ADMIN_TEXT.refused
      : admin?.stats
        ? await admin.stats()
        : SLACK_ADMIN_TEXT.unavailable;
    await deliver(ctx, target, [{ kind: "info", text, visibility: "private" }]);
    logger.info({ platform: "slack", surface: "command", allowed }, "slack admin stats answered");
  } catch (err) {
    logger.error(
      { platform: "slack", surface: "command", errName: err instanceof Error ? err.name : "" },
      "slack admin stats failed",
    );
    await apologise(ctx, target, apology);
  }
}
