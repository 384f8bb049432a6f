/**
 * kneebot's library API: load the knowledge, match questions, run conversations. It is also
 * the adapter kit: an adapter imports from `src/` only through this file
 * (tests/boundary.test.ts checks), so what an adapter may rely on is listed here.
 */

/** Choice ids in platform components (buttons, selects), within the platforms' id limits. */
export { decodeComponentId, encodeButtonId, MAX_COMPONENT_ID_CHARS } from "./choice-id.ts";
/** Letting turns in flight finish on stop. */
export { drainTurns } from "./drain.ts";
/** A user's home screen (Slack's App Home): what they have open, read only. */
export type { HomeUser, HomeView } from "./engine/home.ts";
/** What a choice set answers (the terminal explains check-in offers). */
export { decodeSet, type SetRef } from "./engine/ids.ts";
/** The privacy rule the engine applies to every reply (and a scripted test engine too). */
export { settleVisibility } from "./engine/privacy.ts";
// ---- The engine, its knowledge and stores ----
export { createEngine, type EngineOptions, type KneebotEngine, sessionKey } from "./engine.ts";
/** The engine an adapter is given: `handle(turn)`. */
export type { Engine } from "./engine-api.ts";
/** Sending follow-up check-ins: each adapter provides a DirectSender. */
export type { DeliveryKey, DeliveryResult, DirectSender } from "./followups/types.ts";
export { type Knowledge, KnowledgeError, loadKnowledge, readKnowledge } from "./knowledge/load.ts";
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
// ---- The adapter kit: the one way an adapter talks to the core ----
/** Turns and replies, the conversation model every adapter translates to and from. */
export * from "./types.ts";
