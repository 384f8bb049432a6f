/**
 * A long answer goes out as several messages, and only the last one carries buttons. Its "Send
 * me this privately" button names the earlier parts (`kneebot:private:<id>.<id>`), so a click
 * copies the whole answer by fetching them from the channel, after a restart too.
 */
import { MAX_CUSTOM_ID_CHARS, SEND_PRIVATELY_ID } from "./render.ts";
import type { OutgoingMessage } from "./types.ts";

const PREFIX = `${SEND_PRIVATELY_ID}:`;
const SNOWFLAKE = /^\d{15,22}$/;

/**
 * The "Send me this privately" id for the last part of an answer, naming the earlier parts. When
 * they don't all fit in a custom_id (an answer over four messages long, which the knowledge
 * doesn't have) it names none, and the click copies the last part only.
 */
export function sendPrivatelyId(earlier: readonly string[]): string {
  const id = `${PREFIX}${earlier.join(".")}`;
  return earlier.length > 0 && id.length <= MAX_CUSTOM_ID_CHARS ? id : SEND_PRIVATELY_ID;
}

/**
 * The earlier parts' message ids a "Send me this privately" button names ([] for the plain
 * button), or undefined when `customId` is not that button.
 */
export function partsOf(customId: string): string[] | undefined {
  if (customId === SEND_PRIVATELY_ID) return [];
  if (!customId.startsWith(PREFIX)) return undefined;
  const ids = customId.slice(PREFIX.length).split(".");
  return ids.every((id) => SNOWFLAKE.test(id)) ? ids : undefined;
}

/** `m` with its "Send me this privately" button naming the earlier parts. */
function linkParts(m: OutgoingMessage, earlier: readonly string[]): OutgoingMessage {
  const id = sendPrivatelyId(earlier);
  const components = m.components.map((row) => ({
    ...row,
    components: row.components.map((c) =>
      "custom_id" in c && c.custom_id === SEND_PRIVATELY_ID ? { ...c, custom_id: id } : c,
    ),
  }));
  return { ...m, components };
}

/**
 * Sends `messages` in order with `send` (which returns the id of the message it created, when
 * it knows it), linking each split answer's last part to its earlier parts. Returns the ids.
 */
export async function sendLinked(
  messages: readonly OutgoingMessage[],
  send: (m: OutgoingMessage) => Promise<string | undefined>,
): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  // The earlier parts of the answer being sent; undefined once one of their ids is unknown.
  let earlier: string[] | undefined = [];
  for (const m of messages) {
    const id = await send(earlier && earlier.length > 0 ? linkParts(m, earlier) : m);
    ids.push(id);
    if (!m.continues) earlier = [];
    else if (earlier && id) earlier.push(id);
    else earlier = undefined;
  }
  return ids;
}
