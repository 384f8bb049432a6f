/** Records and state the fake Discord keeps, for tests to assert on. */
import type { FakeChannel } from "./objects.ts";

/** How a message reached Discord. */
export type Via = "channel" | "reply" | "update" | "followup" | "edit-original" | "edit";

/** One message the bot sent or edited, as recorded by the fake. */
export interface SentMessage {
  via: Via;
  messageId: string;
  channelId: string;
  guildId?: string;
  /** Set when the message went to a DM channel: the user it was sent to. */
  dmUserId?: string;
  interactionId?: string;
  content: string;
  components: Record<string, unknown>[];
  flags: number;
  ephemeral: boolean;
  /** The raw allowed_mentions the bot sent (undefined when it sent none). */
  allowedMentions: unknown;
  /** Who this message would ping by Discord's rules. */
  pings: string[];
  referenceId?: string;
}

/** One interaction callback attempt. */
export interface CallbackRecord {
  interactionId: string;
  type: number;
  afterMs: number;
  status: number;
  code?: number;
}

/** What the fake remembers about a dispatched interaction. */
export interface InteractionState {
  id: string;
  token: string;
  createdAt: number;
  kind: "command" | "component";
  channel: FakeChannel;
  acked: boolean;
  originalId?: string;
  sourceMessageId?: string;
}

/** Start-up options. */
export interface FakeDiscordOptions {
  token?: string;
  /** Discord's interaction window (3000 ms); tests may shrink it. */
  interactionWindowMs?: number;
  allowPrivilegedIntents?: boolean;
}

/**
 * An outage the fake simulates: matching REST requests get this answer instead of being
 * handled (nothing is stored), or never get one (`hang`).
 */
export interface Fault {
  /** Matched against `METHOD /path` (the path after /api/v10). */
  route: RegExp;
  /** HTTP status (default 500). */
  status?: number;
  /** Discord JSON error code in the body (default 0). */
  code?: number;
  /** Seconds, sent as Retry-After (and retry_after) with a 429. */
  retryAfter?: number;
  /** Never answer: the request hangs until the client gives up or the fake closes. */
  hang?: boolean;
  /** How many requests it hits (default: every one until `clearFaults`). */
  times?: number;
}
