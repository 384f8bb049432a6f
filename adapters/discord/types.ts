/**
 * Types shared by the Discord adapter's files. Platform payloads are plain discord-api-types
 * JSON so that render.ts stays pure and testable without a client.
 */
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CommandName, Engine, Logger } from "../../src/index.ts";

/** The core's one Logger (the adapter never logs message text). */
export type { Logger };

/** One row of message components (buttons, or one select menu). */
export type ComponentRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One Discord message ready to send: content within limits, components within limits. */
export interface OutgoingMessage {
  content: string;
  components: ComponentRow[];
  /** Only the asking user may see it (ephemeral in an interaction, a DM otherwise). */
  private: boolean;
  /** True when this message carries the reply's choices (the last chunk of a reply). */
  hasChoices: boolean;
  /** True when the next message is the rest of this one's text (a long reply split in parts). */
  continues?: boolean;
}

/** A slash command: its registration body and the engine command it becomes. */
export interface Command {
  /** Registration JSON, as `SlashCommandBuilder#toJSON()` produces. */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Whether the answer is for the asker only (used to defer with the right visibility). */
  private: boolean;
  /** The engine command (and arguments) this invocation means. */
  toTurn(interaction: ChatInputCommandInteraction): { command: CommandName; args?: string };
}

/** Options for {@link startDiscord}. */
export interface DiscordOptions {
  engine: Engine;
  token: string;
  applicationId: string;
  /** REST base, e.g. "https://discord.com/api" (default) or a local fake in tests. */
  apiUrl?: string;
  logger?: Logger;
  /**
   * Defer an interaction when the engine hasn't answered within this many ms (default 1500):
   * Discord drops interactions not acknowledged within 3 s.
   */
  deferAfterMs?: number;
  /** Give up on one check-in DM (`sendDirect`) after this many ms (default 30 000). */
  sendTimeoutMs?: number;
  /** On stop, how long replies still being sent may take to finish (default 10 000). */
  drainMs?: number;
  /** The organiser's summary behind `/knee-admin stats` (see commands/admin.ts). */
  adminStats?: () => Promise<string>;
  /**
   * Channel ids where the bot reads messages that don't mention it (help-channel.ts). Setting
   * any requests the privileged MessageContent intent.
   */
  helpChannels?: readonly string[];
  /** Answer mentions in busy channels in a thread on the mention (default true). */
  mentionThreads?: boolean;
  /** Show "kneebot is typing…" in a DM whose answer takes longer than this (default 1000 ms). */
  typingAfterMs?: number;
}
