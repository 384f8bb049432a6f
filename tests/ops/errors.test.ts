import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { ERROR_CODES, isKneebotError, KneebotError } from "../../src/errors.ts";

describe("KneebotError", () => {
  it("carries a code, a message and the ES2022 cause", () => {
    const cause = new Error("disk full");
    const err = new KneebotError("store", "cannot save session", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("KneebotError");
    expect(err.code).toBe("store");
    expect(err.message).toBe("cannot save session");
    expect(err.cause).toBe(cause);
    expect(err.stack).toContain("cannot save session");
  });

  it("has no cause unless one is given", () => {
    expect("cause" in new KneebotError("input", "too long")).toBe(false);
  });

  it("is recognised by the guard, optionally by code", () => {
    const err = new KneebotError("platform", "Discord said 500");
    expect(isKneebotError(err)).toBe(true);
    expect(isKneebotError(err, "platform")).toBe(true);
    expect(isKneebotError(err, "store")).toBe(false);
    expect(isKneebotError(new Error("plain"))).toBe(false);
    expect(isKneebotError({ code: "store", message: "look-alike" })).toBe(false);
    expect(isKneebotError(undefined)).toBe(false);
  });

  it("lists exactly the six codes", () => {
    expect([...ERROR_CODES].sort()).toEqual(
      ["config", "input", "internal", "knowledge", "platform", "store"].sort(),
    );
  });

  it("ConfigError is a KneebotError with code config", () => {
    const err = new ConfigError([{ variable: "X", message: "X is bad." }]);
    expect(isKneebotError(err, "config")).toBe(true);
    expect(err.name).toBe("ConfigError");
  });
});
