/**
 * When a check-in falls due: N days ahead, in the early evening of the runner's local day when
 * the platform tells their time zone (Slack does). Plain Intl, no time-zone library.
 */

/** Local hour check-ins are sent at when the time zone is known (18:00). */
export const EVENING_HOUR = 18;
const DAY = 24 * 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(t: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** True when `timeZone` is an IANA zone this Node knows. */
export function isValidTimeZone(timeZone: string | undefined): timeZone is string {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at instant `t`, in ms (positive east of Greenwich). */
function offsetAt(t: number, timeZone: string): number {
  const p = partsIn(t, timeZone);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The due time `days` days after `now`: at `hour` o'clock local time in `timeZone` when it is a
 * known zone, else exactly `days` × 24 h later.
 */
export function dueAfterDays(
  now: number,
  days: number,
  timeZone?: string,
  hour: number = EVENING_HOUR,
): number {
  if (!isValidTimeZone(timeZone)) return now + days * DAY;
  const today = partsIn(now, timeZone);
  const wall = Date.UTC(today.year!, today.month! - 1, today.day! + days, hour);
  // Two passes settle the offset across a daylight-saving change between now and then.
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

/** A date and time for the user, e.g. "Tuesday 1 December, 18:00 GMT", in their zone or UTC. */
export function formatWhen(t: number, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: isValidTimeZone(timeZone) ? timeZone : "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(t);
}
