/**
 * Every environment setting, validated with zod once at start. A bad setting never surfaces
 * later as a strange runtime failure: `loadConfig` throws one ConfigError that lists every bad
 * variable, what is wrong with it and how to fix it. Platform tokens (DISCORD_*, SLACK_*) are
 * passed through untouched: each adapter validates its own.
 */
import { z } from "zod";
import { KneebotError } from "./errors.ts";
import { editDistance } from "./text/tokens.ts";

/** The salt used when KNEEBOT_HASH_SALT is unset. Public, so set your own in production. */
export const DEFAULT_HASH_SALT = "kneebot-public-default-salt-v1";

/** Log levels pino understands, plus "silent". */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where sessions and schedules live. Redis carries its URL so it can never be missing. */
export type StoreConfig = { kind: "sqlite" } | { kind: "memory" } | { kind: "redis"; url: string };

/** The validated settings the rest of the program reads (never `process.env` directly). */
export interface Config {
  dataDir: string;
  knowledgeDir: string;
  store: StoreConfig;
  /** How long an idle conversation is kept, in milliseconds. */
  sessionTtlMs: number;
  /** Port for the ops server (/healthz, /metrics); unset means no ops server. */
  httpPort?: number;
  httpHost: string;
  logLevel: LogLevel;
  /** True only when LOG_CONTENT=1: message text and health details may then be logged. */
  logContent: boolean;
  rateLimit: { burst: number; perMinute: number };
  maxInputChars: number;
  hashSalt: string;
  /** True when hashSalt is the public default; the start script should warn about it. */
  hashSaltIsDefault: boolean;
  /** DISCORD_* and SLACK_* variables, untouched, for the adapters to validate. */
  platformEnv: Readonly<Record<string, string>>;
  /** Non-fatal findings, such as an unknown KNEEBOT_* variable that looks like a typo. */
  warnings: string[];
}

/** One row of the settings table, for the README generator and doc tests. */
export interface SettingDoc {
  name: string;
  /** The value used when the variable is unset or empty; null when unset means "off"/"none". */
  default: string | null;
  description: string;
}

/** One bad variable: its name and a full sentence saying what is wrong and how to fix it. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by loadConfig; `problems` lists every bad variable, one line each in `message`. */
export class ConfigError extends KneebotError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super("config", problems.map((p) => p.message).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

interface Spec<T> extends SettingDoc {
  schema: z.ZodType<T, string>;
  /** Completes "NAME must be …". */
  mustBe: string;
  /** A good value to suggest in the fix. */
  example: string;
  /** Never echo the value back (it may hold a password). */
  secret?: boolean;
  /** Completes "…, or remove it to …" for settings without a default. */
  removeTo?: string;
}

const SECOND = 1000;
const DURATION_UNITS: Record<string, number> = {
  "": SECOND,
  s: SECOND,
  m: 60 * SECOND,
  h: 3600 * SECOND,
  d: 86400 * SECOND,
};
const MAX_TTL_MS = 365 * DURATION_UNITS.d!;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const STORE_KINDS = ["sqlite", "redis", "memory"] as const;

const DATA_DIR: Spec<string> = {
  name: "KNEEBOT_DATA_DIR",
  default: "./data",
  description: "Directory for the SQLite database and other local state.",
  schema: z.string().min(1),
  mustBe: "a directory path",
  example: "./data",
};

const KNOWLEDGE_DIR: Spec<string> = {
  name: "KNEEBOT_KNOWLEDGE_DIR",
  default: "./knowledge",
  description: "Directory holding the FAQ entries, triage flow and wording.",
  schema: z.string().min(1),
  mustBe: "a directory path",
  example: "./knowledge",
};

const STORE: Spec<(typeof STORE_KINDS)[number]> = {
  name: "KNEEBOT_STORE",
  default: "sqlite",
  description:
    'Where sessions and follow-up schedules live: "sqlite" (in KNEEBOT_DATA_DIR), "redis" (needs REDIS_URL) or "memory" (lost on restart; for tests).',
  schema: z.enum(STORE_KINDS),
  mustBe: '"sqlite", "redis" or "memory"',
  example: "sqlite",
};

const REDIS_URL: Spec<string> = {
  name: "REDIS_URL",
  default: null,
  description: "Redis connection URL (redis:// or rediss://). Required when KNEEBOT_STORE=redis.",
  schema: z.string().refine(isRedisUrl),
  mustBe: "a redis:// or rediss:// URL with a host",
  example: "redis://localhost:6379",
  secret: true,
};

const SESSION_TTL: Spec<number> = {
  name: "KNEEBOT_SESSION_TTL",
  default: "30d",
  description:
    'How long an idle conversation is remembered: whole seconds ("3600") or a number with s, m, h or d ("30d", "12h", "15m").',
  schema: z
    .string()
    .regex(/^\d{1,9}[smhd]?$/)
    .transform((v) => Number.parseInt(v, 10) * DURATION_UNITS[v.replace(/^\d+/, "")]!)
    .pipe(z.number().min(SECOND).max(MAX_TTL_MS)),
  mustBe:
    'a duration from 1 second to 365 days: whole seconds ("3600") or a number with s, m, h or d ("30d", "12h", "15m")',
  example: "30d",
};

const HTTP_PORT: Spec<number> = {
  name: "KNEEBOT_HTTP_PORT",
  default: null,
  description:
    "Port for the ops server (GET /healthz, GET /metrics). Unset: no ops server. 0: any free port.",
  schema: wholeNumber(0, 65535),
  mustBe: "a whole number from 0 to 65535",
  example: "9464",
  removeTo: "run without the ops server",
};

const HTTP_HOST: Spec<string> = {
  name: "KNEEBOT_HTTP_HOST",
  default: "127.0.0.1",
  description:
    "Address the ops server listens on. Keep 127.0.0.1 unless a scraper on another host needs it.",
  schema: z.string().regex(/^[^\s/]+$/),
  mustBe: "a host name or IP address, without a scheme or path",
  example: "127.0.0.1",
};

const LOG_LEVEL: Spec<LogLevel> = {
  name: "LOG_LEVEL",
  default: "info",
  description: `Least severe log level written: ${LOG_LEVELS.join(", ")}.`,
  schema: z.enum(LOG_LEVELS),
  mustBe: `one of ${LOG_LEVELS.map((l) => `"${l}"`).join(", ")}`,
  example: "info",
};

const LOG_CONTENT: Spec<boolean> = {
  name: "LOG_CONTENT",
  default: "0",
  description:
    'Set to "1" to log message text and health details (debugging only). Off by default: logs then hold only ids, hashes and counts.',
  schema: z.enum(["0", "1"]).transform((v) => v === "1"),
  mustBe: '"1" (log message text) or "0" (do not)',
  example: "0",
};

const RATE_LIMIT: Spec<{ burst: number; perMinute: number }> = {
  name: "KNEEBOT_RATE_LIMIT",
  default: "8/20",
  description:
    'Per-user rate limit as "burst/perMinute": up to <burst> messages per window of burst/perMinute minutes (8/20: 8 per 24 s), one limit across all processes on Redis.',
  schema: z
    .string()
    .regex(/^\d{1,6}\/\d{1,6}$/)
    .transform((v) => {
      const [burst, perMinute] = v.split("/").map(Number);
      return { burst: burst!, perMinute: perMinute! };
    })
    .pipe(
      z.object({
        burst: z.number().int().min(1).max(1000),
        perMinute: z.number().int().min(1).max(10000),
      }),
    ),
  mustBe: 'two whole numbers as "burst/perMinute", burst 1–1000 and perMinute 1–10000',
  example: "8/20",
};

const MAX_INPUT_CHARS: Spec<number> = {
  name: "KNEEBOT_MAX_INPUT_CHARS",
  default: "2000",
  description:
    "Longest user message accepted, in characters (50–20000); a longer one gets a reply asking to shorten it.",
  schema: wholeNumber(50, 20000),
  mustBe: "a whole number from 50 to 20000",
  example: "2000",
};

const HASH_SALT: Spec<string> = {
  name: "KNEEBOT_HASH_SALT",
  default: null,
  description:
    "Secret salt for hashing user and channel ids in logs. Unset: a random salt generated on first start and kept in the store (the SQLite file, or Redis for all processes sharing it).",
  schema: z.string().min(8),
  mustBe: "at least 8 characters",
  example: "<16+ random characters, e.g. from `openssl rand -hex 16`>",
  secret: true,
  removeTo: "use the public default salt",
};

const SPECS: readonly Spec<unknown>[] = [
  DATA_DIR,
  KNOWLEDGE_DIR,
  STORE,
  REDIS_URL,
  SESSION_TTL,
  HTTP_PORT,
  HTTP_HOST,
  LOG_LEVEL,
  LOG_CONTENT,
  RATE_LIMIT,
  MAX_INPUT_CHARS,
  HASH_SALT,
];

/** Every setting with its default and description, in the order the README lists them. */
export const SETTINGS: readonly SettingDoc[] = SPECS.map(({ name, default: d, description }) => ({
  name,
  default: d,
  description,
}));

/** Prefixes of variables passed through to the adapters without validation. */
export const PLATFORM_PREFIXES = ["DISCORD_", "SLACK_"] as const;

/**
 * Validates the environment and returns the typed settings. Empty or whitespace-only values
 * count as unset (a blank `FOO=` line in an .env file means "use the default").
 * Throws ConfigError listing every bad variable at once.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: ConfigProblem[] = [];

  function read<T>(spec: Spec<T>): T | undefined {
    const raw = env[spec.name]?.trim() || undefined;
    const input = raw ?? spec.default;
    if (input === null) return undefined;
    const result = spec.schema.safeParse(input);
    if (result.success) return result.data;
    problems.push({ variable: spec.name, message: describeBadValue(spec, input) });
    return undefined;
  }

  const dataDir = read(DATA_DIR);
  const knowledgeDir = read(KNOWLEDGE_DIR);
  const storeKind = read(STORE);
  const sessionTtlMs = read(SESSION_TTL);
  const httpPort = read(HTTP_PORT);
  const httpHost = read(HTTP_HOST);
  const logLevel = read(LOG_LEVEL);
  const logContent = read(LOG_CONTENT);
  const rateLimit = read(RATE_LIMIT);
  const maxInputChars = read(MAX_INPUT_CHARS);
  const hashSalt = read(HASH_SALT);

  let store: StoreConfig | undefined;
  if (storeKind === "redis") {
    const url = read(REDIS_URL);
    if (url !== undefined) store = { kind: "redis", url };
    else if (!problems.some((p) => p.variable === REDIS_URL.name)) {
      problems.push({
        variable: REDIS_URL.name,
        message: `REDIS_URL is required when KNEEBOT_STORE=redis. Set REDIS_URL=${REDIS_URL.example}, or set KNEEBOT_STORE=sqlite.`,
      });
    }
  } else if (storeKind !== undefined) {
    store = { kind: storeKind };
  }

  if (problems.length > 0) throw new ConfigError(problems);

  // Every read above succeeded (a failure adds a problem), so none of these is undefined
  // except the optional ones, httpPort and hashSalt.
  return {
    dataDir: dataDir!,
    knowledgeDir: knowledgeDir!,
    store: store!,
    sessionTtlMs: sessionTtlMs!,
    ...(httpPort === undefined ? {} : { httpPort }),
    httpHost: httpHost!,
    logLevel: logLevel!,
    logContent: logContent!,
    rateLimit: rateLimit!,
    maxInputChars: maxInputChars!,
    hashSalt: hashSalt ?? DEFAULT_HASH_SALT,
    hashSaltIsDefault: hashSalt === undefined,
    platformEnv: platformEnv(env),
    warnings: unknownSettingWarnings(env),
  };
}

/** Text for the start script to print when loadConfig throws; works for any thrown value. */
export function formatConfigError(err: unknown): string {
  if (err instanceof ConfigError) {
    const n = err.problems.length;
    const head = `kneebot cannot start: ${n} setting${n === 1 ? " is" : "s are"} invalid.`;
    return [head, ...err.problems.map((p) => `  - ${p.message}`)].join("\n");
  }
  const detail = err instanceof Error ? err.message : String(err);
  return `kneebot cannot start: the settings could not be read (${detail}).`;
}

function describeBadValue(spec: Spec<unknown>, value: string): string {
  const got = spec.secret ? `got a value of ${value.length} characters` : `got ${quote(value)}`;
  const fix =
    spec.default !== null
      ? `, or remove it to use the default (${spec.default})`
      : spec.removeTo
        ? `, or remove it to ${spec.removeTo}`
        : "";
  return `${spec.name} must be ${spec.mustBe} (${got}). Set ${spec.name}=${spec.example}${fix}.`;
}

function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}

function isRedisUrl(value: string): boolean {
  if (!/^rediss?:\/\//.test(value)) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}

function platformEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && PLATFORM_PREFIXES.some((p) => key.startsWith(p))) out[key] = value;
  }
  return out;
}

/** A KNEEBOT_* variable nobody reads is most likely a typo: say which name was meant. */
function unknownSettingWarnings(env: Record<string, string | undefined>): string[] {
  const known = SPECS.map((s) => s.name);
  const warnings: string[] = [];
  for (const key of Object.keys(env)) {
    if (!key.startsWith("KNEEBOT_") || known.includes(key) || env[key] === undefined) continue;
    const near = known.find((name) => editDistance(name, key, 2) <= 2);
    warnings.push(
      near
        ? `${key} is not a kneebot setting; did you mean ${near}?`
        : `${key} is not a kneebot setting and is ignored.`,
    );
  }
  return warnings;
}
