/**
 * Engines for adapter tests: a scripted one with hand-built replies (its replies settled by the
 * core's privacy rule, as the real engine's are), wrappers, and replies a typical engine gives.
 */
import { type Engine, type Reply, settleVisibility, type Turn } from "../../src/index.ts";
import { shippedKnowledge } from "./knowledge.ts";

/** The apology the shipped knowledge words, as the real engine gives it. */
export function apology(): Reply {
  return { kind: "error", text: shippedKnowledge().wording.error, visibility: "private" };
}

/**
 * An engine that answers each turn with whatever `script` returns, remembering the turns. A gate
 * can hold it mid-turn, to prove acknowledgements do not wait for the engine.
 */
export class ScriptedEngine implements Engine {
  readonly turns: Turn[] = [];
  /** Turns finished (released from the gate). */
  finished = 0;
  private gate: Promise<void> | undefined;
  private open: () => void = () => {};
  private readonly startWaiters: ((turn: Turn) => void)[] = [];

  constructor(private readonly script: (turn: Turn) => Reply[] | Promise<Reply[]>) {}

  async handle(turn: Turn): Promise<Reply[]> {
    this.turns.push(turn);
    for (const w of this.startWaiters.splice(0)) w(turn);
    if (this.gate) await this.gate;
    this.finished += 1;
    return settleVisibility(turn, await this.script(turn));
  }

  apology(): Reply {
    return apology();
  }

  /** Holds every turn until `release()` (for ordering tests). */
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.gate = undefined;
    this.open();
  }

  /** Resolves when the engine has started a turn (at once if one is in progress). */
  started(): Promise<Turn> {
    const last = this.turns.at(-1);
    if (last && this.finished < this.turns.length) return Promise.resolve(last);
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }
}

/** Wraps an engine so that every answer takes `ms` longer (a slow store, say). */
export function slowEngine(engine: Engine, ms: number): Engine {
  return {
    async handle(turn) {
      await new Promise((r) => setTimeout(r, ms));
      return engine.handle(turn);
    },
    apology: () => engine.apology(),
  };
}

/** An engine that breaks its contract and throws. */
export const throwingEngine: Engine = {
  async handle() {
    throw new Error("boom");
  },
  apology,
};

/** Replies a typical engine might give, hand-built. */
export const sample = {
  answer: (
    text = "Rest, ice and **easy** running. See https://example.org/knee?a=1&b=2",
  ): Reply => ({
    kind: "answer",
    text,
    visibility: "public",
    meta: { faqId: "knee-swelling" },
  }),
  question: (id = "s1:q1:v1"): Reply => ({
    kind: "question",
    text: "Where does it hurt?",
    visibility: "private",
    personal: true,
    choices: {
      mode: "single",
      id,
      options: [
        { value: "front", label: "Front of the knee" },
        { value: "outside", label: "Outside" },
        { value: "inside", label: "Inside" },
      ],
    },
  }),
  checklist: (id = "s1:rf:v1"): Reply => ({
    kind: "question",
    text: "Do any of these apply?",
    visibility: "private",
    personal: true,
    choices: {
      mode: "multi",
      id,
      noneValue: "none",
      submitLabel: "Done",
      options: [
        { value: "locked", label: "Knee locks" },
        { value: "fever", label: "Fever" },
        { value: "none", label: "None of these" },
      ],
    },
  }),
  info: (text: string, visibility: "public" | "private" = "public"): Reply => ({
    kind: "info",
    text,
    visibility,
  }),
};
