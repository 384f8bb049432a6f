import { describe, expect, test } from "vitest";
import { CONTINUE_IN_DM_ID, SEND_PRIVATELY_ID, TEXT } from "../../adapters/discord/render.ts";
import { ScriptedEngine, throwingEngine } from "../helpers/scripted-engine.ts";
import { customIds, firstComponent, startHarness } from "./harness.ts";
import { ANSWER, CHECKLIST, EXPIRED, OUTCOME, triageScript, WHERE } from "./scripts.ts";

describe("slash commands and clicks (real discord.js against the fake)", () => {
  test("logs in with only non-privileged intents", async () => {
    const { fake, bot } = await startHarness(new ScriptedEngine(triageScript));
    expect(bot.client.isReady()).toBe(true);
    expect(bot.client.user.id).toBe(fake.bot.id);
    expect(fake.sessions).toBe(1);
    // Guilds (1) | GuildMessages (512) | DirectMessages (4096); no MessageContent (32768).
    expect(fake.identifies.map((i) => i.intents)).toEqual([1 | 512 | 4096]);
  });

  test("/knee in a server is answered ephemerally, with a way to continue in DMs", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "knee");
    const reply = await fake.waitFor("the reply", () => fake.sent[0]);
    expect(reply.via).toBe("reply");
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(CHECKLIST.text);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    expect(customIds(reply.components)).toEqual(["s1:redflags:v1", CONTINUE_IN_DM_ID]);
    expect(engine.turns[0]).toMatchObject({
      platform: "discord",
      userId: ann.id,
      type: "command",
      command: "triage",
      place: { kind: "channel", id: fake.guild.channelId },
    });
  });

  test("/ask passes the question and may answer publicly, with a private copy on request", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const ben = fake.addUser("ben");
    fake.slashCommand(ben, "ask", { options: { question: "why does my knee click?" } });
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(engine.turns[0]).toMatchObject({ command: "ask", args: "why does my knee click?" });
    expect(answer.ephemeral).toBe(false);
    expect(customIds(answer.components)).toEqual([SEND_PRIVATELY_ID]);

    fake.click(ben, answer.messageId, SEND_PRIVATELY_ID);
    const dm = await fake.waitFor("the DM copy", () => fake.sent.find((s) => s.dmUserId));
    expect(dm).toMatchObject({ dmUserId: ben.id, content: answer.content, components: [] });
    const ack = await fake.waitFor("the ack", () =>
      fake.sent.find((s) => s.content === TEXT.sentPrivately),
    );
    expect(ack.ephemeral).toBe(true);
    expect(fake.errors).toEqual([]);
  });

  test("a checklist is a multi-select; picking updates the message and asks the next question", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const cat = fake.addUser("cat");
    fake.slashCommand(cat, "knee");
    const question = await fake.waitFor("the checklist", () => fake.sent[0]);
    const select = firstComponent(question.components);
    expect(select).toMatchObject({
      type: 3,
      custom_id: "s1:redflags:v1",
      min_values: 1,
      max_values: 3,
    });

    fake.select(cat, question.messageId, "s1:redflags:v1", ["swollen", "locked"]);
    const updated = await fake.waitFor("the update", () =>
      fake.sent.find((s) => s.via === "update"),
    );
    expect(updated.messageId).toBe(question.messageId);
    expect(updated.components).toEqual([]);
    expect(updated.content).toContain("Hot, swollen knee, The knee locks or gives way");
    const next = await fake.waitFor("the next question", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    expect(next.content).toBe(WHERE.text);
    expect(next.ephemeral).toBe(true);
    expect(engine.turns[1]).toMatchObject({
      type: "choice",
      setId: "s1:redflags:v1",
      values: ["swollen", "locked"],
    });
  });

  test("a button click updates the message (answer shown, buttons removed), then follows up", async () => {
    const engine = new ScriptedEngine((turn) => (turn.type === "choice" ? [OUTCOME] : [WHERE]));
    const { fake } = await startHarness(engine);
    const dan = fake.addUser("dan");
    fake.slashCommand(dan, "knee");
    const question = await fake.waitFor("the question", () => fake.sent[0]);
    expect(customIds(question.components)).toEqual([
      "s1:where:v1#front",
      "s1:where:v1#outside",
      "s1:where:v1#inside",
      CONTINUE_IN_DM_ID,
    ]);
    fake.click(dan, question.messageId, "s1:where:v1#outside");
    const outcome = await fake.waitFor("the outcome", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    const update = fake.sent.find((s) => s.via === "update")!;
    expect(update).toMatchObject({
      messageId: question.messageId,
      components: [],
      ephemeral: true,
    });
    expect(update.content).toBe(`${WHERE.text}\n\n**${TEXT.yourAnswer}** Outside`);
    expect(outcome).toMatchObject({ content: OUTCOME.text, ephemeral: true });
    expect(engine.turns[1]).toMatchObject({
      type: "choice",
      setId: "s1:where:v1",
      values: ["outside"],
    });
    expect(fake.callbacks.map((c) => c.status)).toEqual([204, 204]);
  });

  test("a click on a public answer is answered privately; the message keeps its buttons", async () => {
    const feedback = {
      ...ANSWER,
      choices: {
        mode: "single" as const,
        id: "a.clicking",
        options: [
          { value: "helpful", label: "Yes" },
          { value: "unhelpful", label: "Not really" },
        ],
      },
    };
    const engine = new ScriptedEngine((turn) =>
      turn.type === "choice"
        ? [{ kind: "feedback", text: "Thanks!", visibility: "public" }]
        : [feedback],
    );
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    const ben = fake.addUser("ben");
    fake.slashCommand(ann, "ask", { options: { question: "why does my knee click?" } });
    const answer = await fake.waitFor("answer", () => fake.sent[0]);
    expect(answer.ephemeral).toBe(false);
    expect(customIds(answer.components)).toEqual([
      "a.clicking#helpful",
      "a.clicking#unhelpful",
      SEND_PRIVATELY_ID,
    ]);
    fake.click(ben, answer.messageId, "a.clicking#helpful");
    const thanks = await fake.waitFor("thanks", () => fake.sent.find((s) => s.via === "followup"));
    expect(thanks).toMatchObject({ content: "Thanks!", ephemeral: true });
    expect(fake.callbacks.map((c) => c.type)).toEqual([4, 6]);
    expect(fake.sent.filter((s) => s.messageId === answer.messageId)).toHaveLength(1);
    expect(engine.turns[1]).toMatchObject({
      userId: ben.id,
      setId: "a.clicking",
      values: ["helpful"],
    });
  });

  test("a stale or unknown custom_id is forwarded and gets the engine's expired reply", async () => {
    // A question rendered before a restart: the engine no longer knows its set.
    const stale = { ...WHERE, choices: { ...WHERE.choices!, id: "old-session:where:v0" } };
    const engine = new ScriptedEngine((turn) =>
      turn.type === "command" ? [stale] : triageScript(turn),
    );
    const { fake } = await startHarness(engine);
    const eve = fake.addUser("eve");
    fake.slashCommand(eve, "knee");
    const question = await fake.waitFor("a question", () => fake.sent[0]);
    fake.click(eve, question.messageId, "old-session:where:v0#front");
    const expired = await fake.waitFor("expired", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    expect(expired).toMatchObject({ content: EXPIRED.text, ephemeral: true });
    expect(engine.turns[1]).toMatchObject({ setId: "old-session:where:v0", values: ["front"] });

    // An id in no known format is forwarded too (no value); the engine decides.
    fake.slashCommand(eve, "knee");
    const again = await fake.waitFor("again", () => fake.sent.filter((s) => s.via === "reply")[1]);
    fake.click(eve, again.messageId, "garbage", true);
    await fake.waitFor("second expired", () => fake.sent.filter((s) => s.via === "followup")[1]);
    expect(engine.turns[3]).toMatchObject({ type: "choice", setId: "garbage", values: [] });
    expect(fake.errors).toEqual([]);
  });

  test("Continue in DMs copies the question to a DM, and the conversation goes on there", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const fay = fake.addUser("fay");
    fake.slashCommand(fay, "knee");
    const question = await fake.waitFor("the checklist", () => fake.sent[0]);
    fake.click(fay, question.messageId, CONTINUE_IN_DM_ID);
    const dm = await fake.waitFor("the DM", () => fake.sent.find((s) => s.dmUserId === fay.id));
    expect(dm.content).toBe(CHECKLIST.text);
    expect(customIds(dm.components)).toEqual(["s1:redflags:v1"]);
    const moved = await fake.waitFor("moved", () => fake.sent.find((s) => s.via === "update"));
    expect(moved).toMatchObject({
      messageId: question.messageId,
      content: TEXT.movedToDm,
      components: [],
    });

    fake.select(fay, dm.messageId, "s1:redflags:v1", ["none"]);
    const next = await fake.waitFor("next in DM", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    expect(next).toMatchObject({ content: WHERE.text, ephemeral: false, channelId: dm.channelId });
    expect(engine.turns.at(-1)).toMatchObject({ place: { kind: "dm" }, values: ["none"] });
  });

  test("closed DMs (50007) give an ephemeral hint and nothing crashes", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake, logs } = await startHarness(engine);
    const gus = fake.addUser("gus", { closedDms: true });
    fake.slashCommand(gus, "knee");
    const question = await fake.waitFor("the checklist", () => fake.sent[0]);
    fake.click(gus, question.messageId, CONTINUE_IN_DM_ID);
    const hint = await fake.waitFor("hint", () =>
      fake.sent.find((s) => s.content === TEXT.dmClosed),
    );
    expect(hint).toMatchObject({ via: "reply", ephemeral: true });
    expect(fake.errors.map((e) => (e.body as { code: number }).code)).toEqual([50007]);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
    // The bot still works for the next command.
    fake.slashCommand(gus, "kneehelp");
    await fake.waitFor("help", () => fake.sent.find((s) => s.content.includes("kneebot helps")));
  });

  test("an engine error is logged with ids (no text) and the user sees a short apology", async () => {
    const { fake, logs } = await startHarness(throwingEngine);
    const hal = fake.addUser("hal");
    const state = fake.slashCommand(hal, "ask", { options: { question: "secret symptom text" } });
    const apology = await fake.waitFor("apology", () => fake.sent[0]);
    expect(apology).toMatchObject({ content: throwingEngine.apology().text, ephemeral: true });
    const error = logs.find((l) => l.level === "error")!;
    expect(error.obj).toMatchObject({ interactionId: state.id, channelId: fake.guild.channelId });
    expect(JSON.stringify(logs)).not.toContain("secret symptom text");
    expect(JSON.stringify(logs)).not.toContain(hal.id);
  });

  test("slash commands work in DMs too, without ephemeral flags or DM buttons", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const ivy = fake.addUser("ivy");
    fake.slashCommand(ivy, "knee", { dm: true });
    const reply = await fake.waitFor("reply", () => fake.sent[0]);
    expect(reply).toMatchObject({ ephemeral: false, dmUserId: ivy.id });
    expect(customIds(reply.components)).toEqual(["s1:redflags:v1"]);
    expect(engine.turns[0]).toMatchObject({ place: { kind: "dm" } });
  });
});
