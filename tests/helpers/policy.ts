/**
 * The clinical policy written out independently of the engine and its data, straight from
 * ../shared/clinical/triage-policy.md: the oracle tests compare the engine and knowledge with.
 */
/** The levels, most urgent first. */
export const LEVELS = [
  "emergency_ambulance",
  "emergency",
  "consultation_24",
  "consultation",
  "self_care",
];
/** Each red flag's level. */
export const RED_FLAG_LEVEL: Record<string, string> = {
  rf_deformity: "emergency",
  rf_cannot_bear_weight: "emergency",
  rf_cannot_lift_leg: "emergency",
  rf_numb_cold_foot: "emergency",
  rf_hot_swollen_fever: "emergency",
  rf_chest_breathless: "emergency_ambulance",
  rf_calf_swelling: "consultation_24",
  rf_locked: "consultation_24",
  rf_rapid_swelling: "consultation_24",
  rf_pop: "consultation_24",
  rf_night_pain_weight_loss: "consultation",
  rf_child_limp: "consultation_24",
};
/** Red flags that count only for some runners: rf_child_limp only for under-16s. */
export function flagApplies(flag: string, f: Record<string, string>): boolean {
  return flag !== "rf_child_limp" || f.age_under_16 === "yes";
}
/** The level and condition the policy gives for a set of findings. */
export function policy(f: Record<string, string>): { level: string; condition: string } {
  const yes = (k: string) => f[k] === "yes";
  // Policy: age_55_plus implies age_45_plus.
  const over45 = yes("age_45_plus") || yes("age_55_plus");
  let condition: string;
  let level: string;
  if (f.onset === "injury" && (yes("ottawa_sign") || yes("age_55_plus")))
    [condition, level] = ["possible_fracture", "consultation_24"];
  else if (yes("focal_bone_pain")) [condition, level] = ["bone_stress", "consultation"];
  else if (
    yes("giving_way") ||
    yes("catching_clicking") ||
    (f.onset === "injury" && yes("twisted"))
  )
    [condition, level] = ["meniscal_or_ligament", "consultation"];
  else if (f.onset === "injury") [condition, level] = ["minor_knock", "self_care"];
  else if (
    yes("known_oa") ||
    (over45 && yes("morning_stiffness")) ||
    (over45 && (f.location === "inner" || f.location === "diffuse"))
  )
    [condition, level] = ["knee_oa", "self_care"];
  else if (f.location === "front") [condition, level] = ["pfps", "self_care"];
  else if (f.location === "outer") [condition, level] = ["itbs", "self_care"];
  else if (f.location === "below_kneecap" && yes("age_under_16"))
    [condition, level] = ["osgood_schlatter", "self_care"];
  else if (f.location === "below_kneecap")
    [condition, level] = ["patellar_tendinopathy", "self_care"];
  else if (f.location === "inner") [condition, level] = ["pes_anserine", "self_care"];
  else if (f.location === "back") [condition, level] = ["back_of_knee", "consultation"];
  else [condition, level] = ["unclear", "consultation"];
  if (level === "self_care" && yes("duration_6_weeks") && yes("self_care_failed"))
    level = "consultation";
  for (const [flag, l] of Object.entries(RED_FLAG_LEVEL))
    if (yes(flag) && flagApplies(flag, f) && LEVELS.indexOf(l) < LEVELS.indexOf(level)) level = l;
  return { level, condition };
}
