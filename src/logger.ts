/**
 * JSON logging with privacy built in. Message text and health details are removed from every
 * log line unless LOG_CONTENT=1, and user ids (and channel ids, which name a DM and so a user)
 * are always replaced by a salted hash, wherever they sit in the logged object (nested objects,
 * arrays, child-logger bindings).
 *
 * Why not pino's `redact` option: its paths have a fixed depth (`*.text` misses
 * `reply.meta.findings`), and hashing a user id needs the `platform` next to it. So the same
 * scrubber runs on every object passed to a log call (a `logMethod` hook) and on every set of
 * child bindings (a wrapped `child`/`setBindings`). Error instances are left to pino's `err`
 * serializer so stack traces stay intact: never put user text in an error message.
 */
import { createHash } from "node:crypto";
import {
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type LevelWithSilent,
  type Logger as PinoLogger,
  pino,
} from "pino";

/**
 * The one logging surface every part of kneebot takes, the core and the adapters alike: pass it
 * in, never import a global logger. The pino logger from {@link createLogger} fits it.
 */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/**
 * Field names whose values are user content or health details, removed at any depth unless
 * logContent is on. Beyond text/message/content/findings/answer this covers command `args`,
 * choice `values` (answers to triage questions), `redFlags` and `condition` from ReplyMeta.
 */
export const CONTENT_FIELDS: ReadonlySet<string> = new Set([
  "text",
  "message",
  "content",
  "findings",
  "answer",
  "args",
  "values",
  "redFlags",
  "condition",
]);

/** Field name whose value is replaced by hashUserId(salt, platform, value). */
export const USER_ID_FIELD = "userId";

/**
 * Field names holding channel ids, hashed like user ids: a DM channel belongs to one user, so
 * its id in clear would let log lines be linked per user.
 */
export const CHANNEL_ID_FIELDS: ReadonlySet<string> = new Set([
  "channel",
  "channelId",
  "channel_id",
]);

/** Options for createLogger; usually built from Config. */
export interface LoggerOptions {
  level: LevelWithSilent;
  /** True only for debugging: keeps CONTENT_FIELDS in the output. User ids are hashed anyway. */
  logContent: boolean;
  salt: string;
  /** Where JSON lines go; stdout when omitted. Tests pass a collecting stream. */
  destination?: DestinationStream;
}

/**
 * A stable, salted pseudonym for a user: sha256 of salt, platform and id, first 16 hex chars.
 * Same user on the same platform, same hash; the id itself cannot be read back.
 */
export function hashUserId(salt: string, platform: string, userId: string): string {
  // NUL separators so ("a", "bc") and ("ab", "c") never hash alike.
  return createHash("sha256").update(`${salt}\0${platform}\0${userId}`).digest("hex").slice(0, 16);
}

const MAX_DEPTH = 8;

type ChildFn = (this: PinoLogger, bindings: Bindings, options?: ChildLoggerOptions) => PinoLogger;
type SetBindingsFn = (this: PinoLogger, bindings: Bindings) => void;

/** Creates the pino JSON logger with content removal and user-id hashing wired in. */
export function createLogger(options: LoggerOptions): PinoLogger {
  const { logContent, salt } = options;
  const platformOf = new WeakMap<object, string>();

  const scrub = (
    value: unknown,
    platform: string | undefined,
    depth: number,
    seen: WeakSet<object>,
  ): unknown => {
    if (typeof value !== "object" || value === null || value instanceof Error) return value;
    if (seen.has(value)) return "[circular]";
    if (depth >= MAX_DEPTH) return "[too deep]";
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => scrub(v, platform, depth + 1, seen));
      const proto = Object.getPrototypeOf(value);
      // Class instances (Date, Map, Buffer…) are left to pino's own serialisation.
      if (proto !== Object.prototype && proto !== null) return value;
      const record = value as Record<string, unknown>;
      const here = typeof record.platform === "string" ? record.platform : platform;
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(record)) {
        if (!logContent && CONTENT_FIELDS.has(key)) continue;
        if (key === USER_ID_FIELD && v !== undefined && v !== null) {
          out[key] = hashUserId(salt, here ?? "", String(v));
        } else if (CHANNEL_ID_FIELDS.has(key) && (typeof v === "string" || typeof v === "number")) {
          out[key] = `ch-${hashUserId(salt, here ?? "", `channel\0${v}`)}`;
        } else {
          out[key] = scrub(v, here, depth + 1, seen);
        }
      }
      return out;
    } finally {
      seen.delete(value);
    }
  };
  const scrubTop = (obj: Record<string, unknown>, platform: string | undefined) =>
    scrub(obj, platform, 0, new WeakSet()) as Record<string, unknown>;

  const root = pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const first: unknown = args[0];
          if (typeof first === "object" && first !== null && !(first instanceof Error)) {
            const platform = platformOf.get(this);
            const rest = args.slice(1) as [string, ...unknown[]];
            method.apply(this, [scrubTop(first as Record<string, unknown>, platform), ...rest]);
            return;
          }
          method.apply(this, args);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );

  // Children are created with Object.create(parent), so they inherit these wrappers. The
  // platform bound on a logger is remembered so that a grandchild's `userId` still hashes with
  // the platform bound above it.
  const baseChild = root.child as unknown as ChildFn;
  const baseSetBindings = root.setBindings as SetBindingsFn;
  const platformIn = (bindings: Bindings, logger: PinoLogger) =>
    typeof bindings.platform === "string" ? bindings.platform : platformOf.get(logger);

  const child: ChildFn = function child(bindings, childOptions) {
    const platform = platformIn(bindings, this);
    const instance = baseChild.call(this, scrubTop(bindings, platform), childOptions);
    if (platform !== undefined) platformOf.set(instance, platform);
    return instance;
  };
  const setBindings: SetBindingsFn = function setBindings(bindings) {
    const platform = platformIn(bindings, this);
    if (platform !== undefined) platformOf.set(this, platform);
    baseSetBindings.call(this, scrubTop(bindings, platform));
  };
  root.child = child as unknown as PinoLogger["child"];
  root.setBindings = setBindings;
  return root;
}

/** The one logger that writes nothing: the default wherever a logger is optional. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
