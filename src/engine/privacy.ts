/**
 * The one privacy rule. Where a turn came from decides how far each of its replies may be
 * seen, here in the core; adapters carry out `visibility` and read nothing else.
 */
import type { Reply, Turn } from "../types.ts";

/**
 * The final visibility of each reply to `turn`. In a channel, a reply about the user's own knee
 * (`personal`) is private, whichever way the turn arrived: a mention, a slash command or a
 * click on a shared message. A turn whose place is missing or unknown counts as a channel. In a
 * DM nobody else is there, so the replies stand as the engine wrote them.
 */
export function settleVisibility(turn: Pick<Turn, "place">, replies: Reply[]): Reply[] {
  if (turn.place?.kind === "dm") return replies;
  return replies.map((r) =>
    r.personal === true && r.visibility !== "private" ? { ...r, visibility: "private" } : r,
  );
}
