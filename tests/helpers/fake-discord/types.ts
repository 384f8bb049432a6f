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
