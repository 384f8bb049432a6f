import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueAfterDays, formatWhen, isValidTimeZone } from "../../src/followups/due-time.ts";

const ZONES = [
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
  "America/St_Johns",
  "UTC",
];

function local(t: number, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  });
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe("due times", () => {
  it("fall at 18:00 local time, N calendar days later, in any zone and across DST", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(2, 3, 7),
        fc.constantFrom(...ZONES),
        (now, days, zone) => {
          const due = dueAfterDays(now, days, zone);
          expect(local(due, zone)).toEqual({
            date: addDays(local(now, zone).date, days),
            time: "18:00",
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("without a (valid) zone, are exactly N days later", () => {
    const now = Date.UTC(2026, 2, 28, 9, 15);
    expect(dueAfterDays(now, 3)).toBe(now + 3 * 86_400_000);
    expect(dueAfterDays(now, 3, "Not/AZone")).toBe(now + 3 * 86_400_000);
    expect(isValidTimeZone("Not/AZone")).toBe(false);
  });

  it("are shown in the runner's zone, or in UTC", () => {
    const t = Date.UTC(2026, 10, 4, 18);
    // ICU versions differ in the joining words; the parts that matter are these.
    expect(formatWhen(t, "Europe/London")).toMatch(/^Wednesday 4 November.*18:00 GMT$/);
    expect(formatWhen(t, "Asia/Tokyo")).toMatch(/^Thursday 5 November.*03:00 GMT\+9$/);
    expect(formatWhen(t)).toMatch(/^Wednesday 4 November.*18:00 UTC$/);
  });
});
