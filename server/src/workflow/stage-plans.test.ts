// Stage plans' job selection (pure): which committed writes start an enter or a check job, under which keys.
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "@crm/metadata";
import type { Model } from "../registry/model";
import { STAGE_CHECK_JOB, STAGE_ENTER_JOB, stageJobs } from "./stage-plans";

const label = { "zh-CN": "阶段", en: "Stages" };
const workflow: WorkflowDefinition = {
  name: "deal_stages",
  object: "deal",
  label,
  states: [],
  transitions: [],
  stagePlan: { field: "stage", activityObject: "task", linkField: "deal_id", stages: [{ stage: "open", advanceTo: "won", activities: [{ type: "call", subject: label, daysAfter: 1 }] }] },
};
const model = { workflows: new Map([["deal", workflow]]) } as unknown as Model;

describe("stageJobs", () => {
  it("enters the stage of a new record and of a stage change, keyed by the record version", () => {
    expect(stageJobs(model, { object: "deal", kind: "create", rows: [{ after: { id: "d1", version: 1, stage: "open" } }] })).toEqual([
      { name: STAGE_ENTER_JOB, data: { object: "deal", recordId: "d1", stage: "open", key: "deal:stage:d1:v1" } },
    ]);
    expect(stageJobs(model, { object: "deal", kind: "update", rows: [{ before: { id: "d1", version: 3, stage: "open" }, after: { id: "d1", version: 4, stage: "won" } }] })[0].data.key).toBe("deal:stage:d1:v4");
  });

  it("ignores edits that keep the stage, and records without one", () => {
    expect(stageJobs(model, { object: "deal", kind: "update", rows: [{ before: { id: "d1", version: 1, stage: "open" }, after: { id: "d1", version: 2, stage: "open" } }] })).toEqual([]);
    expect(stageJobs(model, { object: "deal", kind: "create", rows: [{ after: { id: "d2", version: 1, stage: null } }] })).toEqual([]);
  });

  it("checks the linked record when a linked activity becomes completed, not when it stays so or has no link", () => {
    const done = (before: string, after: string, link: string | null = "d1") => stageJobs(model, { object: "task", kind: "update", rows: [{ before: { id: "t1", version: 1, status: before }, after: { id: "t1", version: 2, status: after, deal_id: link } }] });
    expect(done("not_started", "completed")).toEqual([{ name: STAGE_CHECK_JOB, data: { object: "deal", recordId: "d1", key: "task:done:t1:v2" } }]);
    expect(done("completed", "completed")).toEqual([]);
    expect(done("not_started", "in_progress")).toEqual([]);
    expect(done("not_started", "completed", null)).toEqual([]);
  });
});
