import { describe, expect, it } from "vitest";

import {
  outcomeOfParts,
  PART_TRANSITIONS,
  readRequestSettings,
  REQUEST_TRANSITIONS,
  UPLOAD_TRANSITIONS,
} from "../../src/requests/index.js";
import type { DataRequestPartState } from "../../src/store/index.js";

describe("request state machine", () => {
  it("leads every state to known states", () => {
    for (const table of [
      REQUEST_TRANSITIONS,
      PART_TRANSITIONS,
      UPLOAD_TRANSITIONS,
    ]) {
      const states = Object.keys(table);
      for (const [from, targets] of Object.entries(table)) {
        for (const to of targets as readonly string[]) {
          expect(states, `${from} -> ${to}`).toContain(to);
          expect(to, `${from} -> ${to}`).not.toBe(from);
        }
      }
    }
  });

  it("reaches every request state from draft", () => {
    const reached = new Set<string>(["draft"]);
    const queue = ["draft"];
    for (
      let state = queue.shift();
      state !== undefined;
      state = queue.shift()
    ) {
      for (const next of REQUEST_TRANSITIONS[
        state as keyof typeof REQUEST_TRANSITIONS
      ]) {
        if (!reached.has(next)) {
          reached.add(next);
          queue.push(next);
        }
      }
    }

    expect([...reached].sort()).toEqual(
      Object.keys(REQUEST_TRANSITIONS).sort(),
    );
  });

  it("keeps final states final", () => {
    for (const state of [
      "rejected",
      "failed",
      "expired",
      "withdrawn",
    ] as const) {
      expect(REQUEST_TRANSITIONS[state], state).toEqual([]);
    }
  });
});

describe("outcomeOfParts", () => {
  const cases: [DataRequestPartState[], string, boolean][] = [
    [["sent", "sent"], "sent_to_providers", true],
    [["answered", "sent"], "partly_answered", true],
    [["answered", "answered"], "answered", false],
    [["answered", "failed"], "partly_answered", false],
    [["answered", "expired"], "partly_answered", false],
    [["expired", "expired"], "expired", false],
    [["failed", "expired"], "failed", false],
    [["failed"], "failed", false],
    [["withdrawn", "answered"], "partly_answered", false],
    [[], "sent_to_providers", true],
  ];

  it.each(cases)("adds up %j", (states, state, pending) => {
    expect(outcomeOfParts(states)).toEqual({ state, pending });
  });
});

describe("readRequestSettings", () => {
  it("uses the defaults without settings", () => {
    const settings = readRequestSettings({});

    expect(settings.windowDaysBeforeOnset).toBe(14);
    expect(settings.deadlineHours.awaiting_police_approval).toBe(8);
    expect(settings.deadlineHours.part_sent).toBe(48);
    expect(settings.answerExpiryHours).toBe(168);
    expect(settings.uploadMaxBytes).toBe(64 * 1_048_576);
  });

  it("reads a deadline per state", () => {
    const settings = readRequestSettings({
      EPITRACE_REQUEST_DEADLINE_HOURS_AWAITING_POLICE_APPROVAL: "2",
      EPITRACE_REQUEST_DEADLINE_HOURS_PART_SENT: "12",
      EPITRACE_REQUEST_WINDOW_DAYS_BEFORE_ONSET: "10",
    });

    expect(settings.deadlineHours.awaiting_police_approval).toBe(2);
    expect(settings.deadlineHours.part_sent).toBe(12);
    expect(settings.deadlineHours.draft).toBe(72);
    expect(settings.windowDaysBeforeOnset).toBe(10);
  });

  it("rejects an invalid value", () => {
    expect(() =>
      readRequestSettings({ EPITRACE_REQUEST_ANSWER_EXPIRY_HOURS: "soon" }),
    ).toThrow("Invalid setting EPITRACE_REQUEST_ANSWER_EXPIRY_HOURS");
  });
});
