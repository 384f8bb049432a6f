/**
 * The App Home tab: what the bot does, the user's knee check in progress (continue or cancel),
 * their check-ins (snooze or cancel), privacy and "forget me", from the engine's read-only
 * `home` query. Published on `app_home_opened`, after every click on it, and after anything else
 * its user does with the bot while this process knows they have seen it (republished only when
 * it changed). A click on it is an ordinary turn in the user's DM, where the replies go.
 */
import type { App, webApi } from "@slack/bolt";
import { LRUCache } from "lru-cache";
import type { HomeView, Turn } from "../../src/index.ts";
import { type DeliverContext, deliver, type Target } from "./deliver.ts";
import { base, describe, duplicate, type HandlerDeps, runTurn } from "./handlers.ts";
import { HOME_ACTION_PREFIX, HOME_ACTIONS, renderHome } from "./home-view.ts";
import { PLATFORM, parseAction, pick, pickString } from "./parse.ts";

/** Users whose last published Home tab is remembered, at most. */
export const HOME_WATCH_CAPACITY = 5000;
/** How long after opening the Home tab a user's tab is kept up to date by this process. */
export const HOME_WATCH_TTL_MS = 24 * 60 * 60 * 1000;

/** The user a request came from: a command, a click, a shortcut or an event. */
function userOf(body: unknown): string | undefined {
  return (
    pickString(body, "user_id") ??
    pickString(body, "user", "id") ??
    pickString(body, "event", "user")
  );
}

/**
 * Registers the Home tab; does nothing when the engine has no home screen. Returns what brings
 * a user's tab up to date (if they have seen it) after something outside a request changed it:
 * a check-in delivered by the scheduler.
 */
export function registerHome(
  app: App,
  deps: HandlerDeps,
): ((userId: string) => Promise<void>) | undefined {
  const engine = deps.engine;
  if (!engine.home) return undefined;
  const query = (userId: string): Promise<HomeView> => engine.home!({ platform: PLATFORM, userId });
  // What each user's tab shows now (the published view, as JSON), so it is sent only on change.
  const shown = new LRUCache<string, string>({ max: HOME_WATCH_CAPACITY, ttl: HOME_WATCH_TTL_MS });

  const publish = async (client: webApi.WebClient, userId: string, always: boolean) => {
    const work = (async () => {
      try {
        const view = renderHome(await query(userId));
        const json = JSON.stringify(view);
        if (!always && shown.get(userId) === json) return;
        await client.views.publish({ user_id: userId, view });
        shown.set(userId, json);
      } catch (err) {
        deps.logger.warn(
          { platform: PLATFORM, surface: "home", ...describe(err) },
          "slack home tab not published",
        );
      }
    })();
    deps.inFlight?.add(work);
    await work.finally(() => deps.inFlight?.delete(work));
  };

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab === "home") await publish(client, event.user, true);
  });

  // After any other request (a turn in a DM or channel, a command, a click elsewhere), the
  // user's tab is brought up to date if they have seen it. Home listeners publish themselves.
  app.use(async ({ body, client, next }) => {
    try {
      await next();
    } finally {
      const userId = userOf(body);
      const own =
        pick(body, "event", "type") === "app_home_opened" ||
        pickString(body, "actions", 0, "action_id")?.startsWith(HOME_ACTION_PREFIX) === true;
      if (userId && !own && shown.has(userId)) await publish(client, userId, false);
    }
  });

  app.action(new RegExp(`^${HOME_ACTION_PREFIX}`), async ({ ack, body, client }) => {
    await ack();
    if (body.type !== "block_actions") return;
    const userId = body.user.id;
    const actionTs = pickString(body, "actions", 0, "action_ts") ?? "";
    const ids = { surface: "home", triggerId: body.trigger_id };
    if (await duplicate(deps, `action:${body.trigger_id}:${actionTs}`, ids)) return;
    try {
      const opened = await client.conversations.open({ users: userId });
      const channelId = opened.channel?.id;
      if (!channelId) throw new Error("conversations.open returned no channel");
      const ctx: DeliverContext = { client, fetch: deps.fetch };
      const target: Target = { kind: "dm", channelId, userId };
      const turn = await homeTurn(deps, client, body, userId, channelId, query);
      if (turn.type === "replies") await deliver(ctx, target, turn.replies);
      else if (turn.type === "turn") await runTurn(deps, ctx, target, turn.turn, ids);
    } catch (err) {
      deps.logger.error(
        { platform: PLATFORM, ...ids, ...describe(err) },
        "slack home click failed",
      );
    }
    await publish(client, userId, true);
  });

  return async (userId) => {
    if (shown.has(userId)) await publish(app.client, userId, false);
  };
}

/**
 * What a click on the Home tab amounts to: the open check shown again (Continue), a turn for
 * the engine (cancel the check, forget me, a choice such as snooze), or nothing (a stale
 * Continue or Cancel when no check is open any more: the tab is just refreshed).
 */
async function homeTurn(
  deps: HandlerDeps,
  client: webApi.WebClient,
  body: unknown,
  userId: string,
  channelId: string,
  query: (userId: string) => Promise<HomeView>,
): Promise<
  | { type: "replies"; replies: NonNullable<HomeView["check"]> }
  | { type: "turn"; turn: Turn }
  | { type: "none" }
> {
  const action = pick(body, "actions", 0) as Record<string, unknown> | undefined;
  const what = String(action?.action_id ?? "").slice(HOME_ACTION_PREFIX.length);
  const turnBase = await base(deps, client, userId, channelId);
  switch (what) {
    case HOME_ACTIONS.continue: {
      const check = (await query(userId)).check;
      return check ? { type: "replies", replies: check } : { type: "none" };
    }
    case HOME_ACTIONS.cancel:
      // Only while a check is open: with none, "cancel" would cancel the check-ins instead.
      return (await query(userId)).check
        ? { type: "turn", turn: { ...turnBase, type: "command", command: "cancel" } }
        : { type: "none" };
    case HOME_ACTIONS.forget:
      return { type: "turn", turn: { ...turnBase, type: "command", command: "forget" } };
    default: {
      // One of the engine's own choices (snooze, cancel a check-in, start a check).
      const parsed = parseAction({
        ...(body as object),
        actions: [{ ...action, action_id: what }],
      });
      if (parsed.type !== "choice") return { type: "none" };
      return {
        type: "turn",
        turn: { ...turnBase, type: "choice", setId: parsed.setId, values: parsed.values },
      };
    }
  }
}
