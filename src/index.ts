/** kneebot's library API: load the knowledge, match questions, run conversations. */

export { createEngine, type EngineOptions, type KneebotEngine, sessionKey } from "./engine.ts";
export type { Engine } from "./engine-api.ts";
export { type Knowledge, KnowledgeError, loadKnowledge, readKnowledge } from "./knowledge/load.ts";
export { createMatcher, type Matcher, type MatchResult } from "./matcher.ts";
export { createMemoryInsightStore, createMemorySessionStore } from "./store/memory.ts";
export {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
} from "./store/sqlite.ts";
export type { InsightStore, Session, SessionStore } from "./store/types.ts";
export * from "./types.ts";
