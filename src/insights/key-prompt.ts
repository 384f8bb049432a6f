/**
 * A list prompt answered with one key press, built on @inquirer/core (so Ctrl+C, the streams
 * and the drawing behave as in @inquirer/prompts): each choice shows its key, and pressing
 * that key picks it at once, with no Enter; the arrow keys move a cursor and Enter picks the
 * highlighted choice. Any other key does nothing.
 */
import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isUpKey,
  makeTheme,
  useKeypress,
  usePrefix,
  useState,
} from "@inquirer/core";
import { KneebotError } from "../errors.ts";

/** One choice: the key that picks it (one character), what it returns, and how it reads. */
export interface KeyChoice<Value> {
  key: string;
  value: Value;
  name: string;
}

/** What the prompt asks, its choices, and which one the cursor starts on (the first if none). */
export interface KeyPromptConfig<Value> {
  message: string;
  choices: readonly KeyChoice<Value>[];
  cursorOn?: Value;
}

interface ViewConfig {
  message: string;
  choices: readonly { key: string; name: string }[];
  start: number;
}

const CURSOR = "❯";

/** Picks the index of a choice; the generic wrapper below turns it back into a value. */
const indexPrompt = createPrompt<number, ViewConfig>((config, done) => {
  const theme = makeTheme();
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const [active, setActive] = useState(config.start);
  const prefix = usePrefix({ status, theme });
  const n = config.choices.length;

  useKeypress((key, rl) => {
    if (status === "done") return;
    let picked: number | undefined;
    if (isEnterKey(key)) picked = active;
    else if (isUpKey(key)) setActive((active - 1 + n) % n);
    else if (isDownKey(key)) setActive((active + 1) % n);
    else if (!key.ctrl) {
      // readline names letters, digits and named keys only ("?" has no name), whatever the
      // type says; keys are compared without case, so Caps Lock or Shift still works.
      const name = (key.name as string | undefined)?.toLowerCase();
      const i = config.choices.findIndex((c) => c.key.toLowerCase() === name);
      if (i >= 0) picked = i;
    }
    if (picked === undefined) {
      // A key that picks nothing must not pile up in the line readline keeps.
      rl.clearLine(0);
      return;
    }
    setActive(picked);
    setStatus("done");
    done(picked);
  });

  const message = theme.style.message(config.message, status);
  if (status === "done")
    return `${prefix} ${message} ${theme.style.answer(config.choices[active]?.name ?? "")}`;
  const lines = config.choices.map((c, i) =>
    i === active ? theme.style.highlight(`${CURSOR} ${c.key}) ${c.name}`) : `  ${c.key}) ${c.name}`,
  );
  return [`${prefix} ${message}`, lines.join("\n")];
});

/** The streams and abort signal a prompt takes, as @inquirer/core defines them. */
export type KeyPromptContext = Parameters<typeof indexPrompt>[1];

/** Asks the question and resolves with the value of the choice picked. */
export async function keyPrompt<Value>(
  config: KeyPromptConfig<Value>,
  context?: KeyPromptContext,
): Promise<Value> {
  const { choices } = config;
  if (choices.length === 0) throw new KneebotError("internal", "keyPrompt needs a choice");
  const start = Math.max(
    0,
    choices.findIndex((c) => c.value === config.cursorOn),
  );
  const i = await indexPrompt(
    { message: config.message, choices: choices.map(({ key, name }) => ({ key, name })), start },
    context,
  );
  return choices[i]!.value;
}
