/**
 * The project's one error class. A `code` says which part of the system failed, so the place
 * that dispatches turns can log it and pick the user-facing apology without parsing messages.
 */

/** Every error code, coarse on purpose: one per part of the system. */
export const ERROR_CODES = [
  "config",
  "knowledge",
  "store",
  "platform",
  "input",
  "internal",
] as const;

/** Which part of the system an error came from. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The only error class kneebot throws; wrap foreign errors in it with `{ cause }`. */
export class KneebotError extends Error {
  /** Which part of the system failed. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KneebotError";
    this.code = code;
  }
}

/** True when `err` is a KneebotError (and, when `code` is given, has that code). */
export function isKneebotError(err: unknown, code?: ErrorCode): err is KneebotError {
  return err instanceof KneebotError && (code === undefined || err.code === code);
}
