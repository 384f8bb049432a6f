/**
 * The platform-neutral conversation model: what adapters hand the engine (turns) and what
 * the engine hands back (replies). No platform SDK types appear here.
 */

/** Where a turn came from: a direct message, or a shared channel/thread. */
export type Place = { kind: "dm" } | { kind: "channel"; id: string };

/** Fields every turn carries. */
export interface TurnBase {
  /** Adapter name: "terminal", "discord", "slack"… Part of the session key. */
  platform: string;
  /** The platform's stable user id. Part of the session key; never logged in clear. */
  userId: string;
  place: Place;
  /** IANA time zone when the platform tells it (Slack does); used to time follow-ups. */
  timeZone?: string;
  /** True when the user addressed the bot explicitly in a channel (a mention). */
  mentioned?: boolean;
  /**
   * True when the bot read this message in a help channel without being addressed. The engine
   * then answers only a confident general question, offers a private check to anyone describing
   * their own knee, stays silent otherwise, and keeps no session (src/engine/overheard.ts).
   */
  overheard?: boolean;
}

/** Commands that work at any point in a conversation. */
export const COMMANDS = [
  "start",
  "help",
  "ask",
  "triage",
  "restart",
  "privacy",
  "forget",
  "followups",
  "stop",
  "cancel",
] as const;
export type CommandName = (typeof COMMANDS)[number];

/** One user action: typed text, a click on a choice, or an explicit command. */
export type Turn =
  | (TurnBase & { type: "text"; text: string })
  | (TurnBase & {
      type: "choice";
      /** The ChoiceSet id the user answered (encodes session, question, flow version). */
      setId: string;
      /** Selected option values: one for a single choice, zero or more for a checklist. */
      values: string[];
    })
  | (TurnBase & { type: "command"; command: CommandName; args?: string });

/** One option the user can pick. `value` is short (≤ 40 chars) and safe in platform ids. */
export interface ChoiceOption {
  value: string;
  label: string;
}

/** A set of options attached to a reply. */
export interface ChoiceSet {
  /** "single": pick one (buttons/select); "multi": tick any (a checklist). */
  mode: "single" | "multi";
  /** Opaque id (≤ 48 chars) that tells the engine what this set answers. */
  id: string;
  options: ChoiceOption[];
  /** For "multi": the option value meaning "none of these", if any. */
  noneValue?: string;
  /** Label for the submit control of a checklist, e.g. "Done". */
  submitLabel?: string;
}

/**
 * Who may see a reply. "public": everyone in the place where the turn happened.
 * "private": only the asking user (ephemeral, or a DM where ephemeral is unavailable).
 * The engine settles it for every reply from where the turn came (`settleVisibility`);
 * adapters carry it out and may only narrow it (a reply to an ephemeral message stays ephemeral).
 */
export type Visibility = "public" | "private";

/** What a reply is for; adapters may style by it, the engine tests assert on it. */
export type ReplyKind =
  | "greeting"
  | "answer"
  | "did-you-mean"
  | "unknown"
  | "question"
  | "confirm"
  | "outcome"
  | "urgent"
  | "info"
  | "feedback"
  | "followup"
  | "error"
  | "expired"
  | "rate-limited";

/**
 * One message from the bot. Text is the Markdown subset every adapter renders: paragraphs,
 * "- " bullets, **bold**, _italic_ and bare URLs.
 */
export interface Reply {
  kind: ReplyKind;
  text: string;
  visibility: Visibility;
  choices?: ChoiceSet;
  /**
   * True when the text concerns the user's own symptoms. The engine has already made such a
   * reply private in a channel; adapters read `visibility`, never this.
   */
  personal?: boolean;
  /** Machine-readable extras for tests, evaluation and metrics; adapters ignore it. */
  meta?: ReplyMeta;
}

/** Structured facts about a reply, for tests, evaluation tools and metrics. */
export interface ReplyMeta {
  faqId?: string;
  score?: number;
  alternatives?: string[];
  questionId?: string;
  level?: string;
  condition?: string;
  findings?: Record<string, string>;
  redFlags?: string[];
  questionsAsked?: number;
}
