import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintKnowledge } from "../../src/knowledge/lint.ts";
import { loadKnowledge } from "../../src/knowledge/load.ts";
import { editFile, knowledgeCopy, shippedKnowledge } from "../helpers/knowledge.ts";

function lintEdited(file: string, edit: (t: string) => string) {
  const dir = knowledgeCopy();
  editFile(dir, file, edit);
  try {
    return lintKnowledge(loadKnowledge(dir));
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe("kb lint", () => {
  it("passes on the shipped knowledge", () => {
    expect(lintKnowledge(shippedKnowledge())).toEqual([]);
  });

  it("catches a related id that doesn't exist", () => {
    const problems = lintEdited("faq/icing.md", (t) =>
      t.replace(/related: \[/, "related: [no-such-entry, "),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "faq/icing.md",
        message: expect.stringContaining("no-such-entry"),
      }),
    );
  });

  it("catches a family member that is no entry, and a kind of question nothing asks", () => {
    const problems = lintEdited("lexicon.yaml", (t) =>
      t
        .replace("relief: itb-relief}", "relief: itb-reliefs}")
        .replace("what: runners-knee,", "wot: runners-knee,"),
    );
    const messages = problems.map((p) => `${p.file} ${p.field}: ${p.message}`).join("\n");
    expect(messages).toContain(
      'lexicon.yaml families.0.members.relief: "itb-reliefs" is not an FAQ id',
    );
    expect(messages).toContain(
      'lexicon.yaml families.1.members.wot: "wot" is not a kind of question listed under asks',
    );
  });

  it("catches example messages for an entry that doesn't exist", () => {
    const problems = lintEdited("examples.yaml", (t) =>
      t.replace("examples:\n", "examples:\n  no-such-entry:\n    - my knee hurts\n"),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "examples.yaml",
        message: '"no-such-entry" is not an FAQ id',
      }),
    );
  });

  it("catches an entry in two families", () => {
    const problems = lintEdited("lexicon.yaml", (t) =>
      t.replace("running-with: oa-running}", "running-with: itb-relief}"),
    );
    expect(problems.map((p) => p.message)).toContain(
      '"itb-relief" is also in family 0; keep each entry in one',
    );
  });

  it("catches an FAQ link in an outcome that doesn't exist", () => {
    const problems = lintEdited("triage.yaml", (t) =>
      t.replace(
        "faq: [runners-knee, runners-knee-relief",
        "faq: [runners-knees, runners-knee-relief",
      ),
    );
    expect(problems.some((p) => p.field.startsWith("conditions.pfps.faq"))).toBe(true);
  });

  it("catches a rule using a finding no question sets, and a value that doesn't exist", () => {
    const problems = lintEdited("triage.yaml", (t) =>
      t.replace(
        "when: { finding: location, is: front }",
        "when: { finding: worse_stairs_down_hills, is: maybe }",
      ),
    );
    const messages = problems.map((p) => p.message).join("\n");
    expect(messages).toContain("worse_stairs_down_hills is used by a rule but no question sets it");
    expect(messages).toContain('has no value "maybe"');
  });

  it("catches a condition without wording", () => {
    const problems = lintEdited("triage.yaml", (t) =>
      t.replace("  - condition: itbs", "  - condition: mystery_knee"),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining("mystery_knee has no wording") }),
    );
  });

  it("catches an unreachable question", () => {
    // No rule reads `worse_stairs_down_hills`, so a question about it is never asked.
    const stairs = [
      "  - id: stairs",
      "    type: single",
      "    sets: worse_stairs_down_hills",
      '    text: "Is it worse on stairs?"',
      "    choices:",
      '      - { value: "yes", label: "Yes" }',
      '      - { value: "no", label: "No" }',
      "",
      "  - id: location",
    ].join("\n");
    const problems = lintEdited("triage.yaml", (t) => t.replace("  - id: location", stairs));
    expect(problems).toContainEqual(expect.objectContaining({ field: "questions (stairs)" }));
  });

  it("catches an age band that leaves out a finding, and a red flag tied to an unknown finding", () => {
    const problems = lintEdited("triage.yaml", (t) =>
      t
        .replace(
          'sets: { age_under_16: "no", age_45_plus: "no", age_55_plus: "no" }',
          'sets: { age_under_16: "no" }',
        )
        .replace(
          "applies_when: { finding: age_under_16,",
          "applies_when: { finding: age_under_12,",
        ),
    );
    const messages = problems.map((p) => p.message).join("\n");
    expect(messages).toContain("every choice must set age_45_plus");
    expect(messages).toContain("age_under_12 is not in the findings vocabulary");
  });

  it("asks for plain wording of every finding a message can set", () => {
    const problems = lintEdited("triage.yaml", (t) =>
      t.replace('  twisted: { "yes": "it got twisted", "no": "it didn\'t twist" }\n', ""),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        field: "noted.twisted",
        message: expect.stringContaining("twisted: yes"),
      }),
    );
  });

  it("catches an alternate phrasing used by two entries", () => {
    const shoes = shippedKnowledge().faq.find((e) => e.id === "shoes")!;
    const problems = lintEdited("faq/orthotics.md", (t) =>
      t.replace("alternates:\n", `alternates:\n  - "${shoes.alternates[0]}"\n`),
    );
    const dup = problems.find((p) => p.message.includes("also a phrasing of"));
    expect(dup).toBeDefined();
    // Whichever file loads second is named, with the other entry in the message.
    expect([dup!.file, dup!.message].join(" ")).toMatch(/orthotics/);
    expect([dup!.file, dup!.message].join(" ")).toMatch(/shoes/);
  });

  it("catches a phrasing that doesn't reach its own entry", () => {
    const problems = lintEdited("faq/shoes.md", (t) =>
      t.replace(
        "alternates:\n",
        // Over 15 words and nothing the bot reads as about the knee: never answered.
        `alternates:\n  - "i have been running for about two years now and want to buy some new trainers for my first marathon"\n`,
      ),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: expect.stringContaining("shoes"),
        message: expect.stringContaining("doesn't reach this entry"),
      }),
    );
  });
});
