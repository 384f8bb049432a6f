/**
 * kneebot's library API and adapter kit. Load the knowledge, match questions, run
 * conversations; an adapter imports from `src/` only through this file (tests/boundary.test.ts
 * checks), so everything an adapter may rely on is listed here: the turn and reply model, the
 * `Engine` it is given, choice ids, text splitting and cutting, the follow-up sender type, the
 * logger type, the error class and the drain helper.
 */

/** Choice ids in platform components (buttons, selects), within the platforms' id limits. */
export {
  decodeComponentId,
  encodeButtonId,
  MAX_COMPONENT_ID_CHARS,
  MAX_SET_ID_CHARS,
  MAX_VALUE_CHARS,
} from "./choice-id.ts";
/** Letting the turns in flight finish when an adapter stops. */
export { drainTurns } from "./drain.ts";
/** A user's home screen (Slack's App Home): what they have open, read only. */
export type { HomeUser, HomeView } from "./engine/home.ts";
/** What a choice set answers (the terminal explains check-in offers). */
export { decodeSet, type SetRef } from "./engine/ids.ts";
/** The privacy rule the engine applies to every reply (a scripted test engine applies it too). */
export { settleVisibility } from "./engine/privacy.ts";
export { createEngine, type EngineOptions, type KneebotEngine, sessionKey } from "./engine.ts";
/** The engine an adapter is given: the one way an adapter talks to the core. */
export type { Engine } from "./engine-api.ts";
/** The one error class, with a code and a cause. */
export { type ErrorCode, isKneebotError, KneebotError } from "./errors.ts";
/** Sending follow-up check-ins: each adapter provides a DirectSender. */
export type { DeliveryKey, DeliveryResult, DirectSender } from "./followups/types.ts";
export { type Knowledge, KnowledgeError, loadKnowledge, readKnowledge } from "./knowledge/load.ts";
/** The logger every part takes, and one that writes nothing. */
export { type Logger, silentLogger } from "./logger.ts";
export { createMatcher, type Matcher, type MatchResult } from "./matcher.ts";
/** State every process of one bot shares (Redis) or this one keeps: Slack's retry dedupe. */
export { createMemorySharedState, type SharedState } from "./shared-state.ts";
export { createMemoryInsightStore, createMemorySessionStore } from "./store/memory.ts";
export {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
} from "./store/sqlite.ts";
export type { InsightStore, Session, SessionStore } from "./store/types.ts";
/** Fitting text to a platform's limits: one cut, one truncation, one split. */
export { cutText, truncate } from "./text/cut.ts";
export { type SplitOptions, splitText } from "./text/split.ts";
/** Turns and replies: the conversation model every adapter translates to and from. */
export * from "./types.ts";
