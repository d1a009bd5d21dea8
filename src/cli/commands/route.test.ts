import path from "node:path";

import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  FIXTURES,
  TemporaryFolder,
} from "../../ingest/provider/test-support.js";
import { registerRouteCommand } from "./route.js";

const folder = new TemporaryFolder();

interface CliRun {
  stdout: string;
  stderr: string;
  /** The exit code commander asked for, or undefined when the command succeeded. */
  exitCode: number | undefined;
}

/** Runs `epitrace ARGS` in-process with only the route command registered. */
async function runCli(args: readonly string[]): Promise<CliRun> {
  const program = new Command("epitrace");
  registerRouteCommand(program);
  const run: CliRun = { stdout: "", stderr: "", exitCode: undefined };
  const writers = {
    writeOut: (text: string) => {
      run.stdout += text;
    },
    writeErr: (text: string) => {
      run.stderr += text;
    },
  };
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput(writers);
  }

  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      throw error;
    }
    run.exitCode = error.exitCode;
  }
  return run;
}

function lines(stdout: string): string[] {
  return stdout.trimEnd().split("\n");
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return lines(stdout).map(
    (line) => JSON.parse(line) as Record<string, unknown>,
  );
}

const BASE_STATION =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters\n" +
  "010-1234-5678,2024-03-05T09:30:00+09:00,O1,macro,37.5665,127.0345,500\n" +
  "010-1234-5678,2024-03-05T10:10:00+09:00,O1,macro,37.5665,127.0345,500\n" +
  "010-1234-5678,2024-03-05T10:20:00+09:00,FAR,macro,37.5665,126.3000,1000\n" +
  "010-1234-5678,2024-03-05T10:30:00+09:00,O1,macro,37.5665,127.0345,500\n" +
  "010-1234-5678,2024-03-05T13:10:00+09:00,O1,macro,37.5665,127.0345,500\n" +
  "010-1234-5678,2024-03-05T17:55:00+09:00,O1,macro,37.5665,127.0345,500\n";

const CARD =
  "card_number,paid_at,merchant_name,business_category,address,latitude,longitude,amount_krw\n" +
  '9430-12**-****-5678,2024-03-05T12:40:00+09:00,명동칼국수,한식,,37.5680,127.0360,"9,000"\n' +
  "9430-12**-****-5678,2024-03-05T15:05:00+09:00,신세계백화점 본점,백화점,,37.5840,126.9440,150000\n";

const INTERVIEW =
  "subject,place_name,latitude,longitude,visit_date,arrived_at,departed_at\n" +
  "P1,종로 PC방,37.5700,126.9600,2024-03-04,,\n";

const TWO_PERSONS =
  "subject,venue_name,latitude,longitude,checked_in_at,checked_out_at\n" +
  "P1,카페 온,37.5650,126.9790,2024-03-05T15:00:00+09:00,2024-03-05T15:45:00+09:00\n" +
  "P2,카페 온,37.5650,126.9790,2024-03-05T16:00:00+09:00,2024-03-05T16:30:00+09:00\n";

let files: Record<"baseStation" | "card" | "interview" | "twoPersons", string>;

beforeAll(async () => {
  await folder.create();
  files = {
    baseStation: await folder.write("skt.csv", BASE_STATION),
    card: await folder.write("card.csv", CARD),
    interview: await folder.write("interview.csv", INTERVIEW),
    twoPersons: await folder.write("qr.csv", TWO_PERSONS),
  };
});

afterAll(() => folder.remove());

describe("epitrace route", () => {
  it("fuses files of several kinds", async () => {
    const run = await runCli([
      "route",
      files.baseStation,
      files.card,
      files.interview,
    ]);
    const output = lines(run.stdout);

    expect(run.exitCode).toBeUndefined();
    expect(output.every((line) => /^(stay|move) {2}/.test(line))).toBe(true);
    expect(output[0]).toMatch(
      /^stay {2}date-stay-1 {2}2024-03-04 \(time unknown\) {2}종로 PC방/,
    );
    expect(
      output.some(
        (line) =>
          line.includes("명동칼국수") && line.includes("base_station+card"),
      ),
    ).toBe(true);
    expect(output.some((line) => line.startsWith("move"))).toBe(true);
  });

  it("prints Seoul times", async () => {
    const run = await runCli(["route", files.baseStation]);
    expect(lines(run.stdout)[0]).toContain("2024-03-05 09:30-17:55");
  });

  it("flags a conflict", async () => {
    const run = await runCli(["route", files.baseStation, files.card]);
    const conflicts = lines(run.stdout).filter((line) =>
      line.includes("conflict with"),
    );

    expect(conflicts).toHaveLength(2);
    expect(conflicts.some((line) => line.includes("신세계백화점 본점"))).toBe(
      true,
    );
  });

  it("reports the records left out on standard error", async () => {
    const run = await runCli(["route", files.baseStation]);
    expect(run.stderr).toContain(
      "1 record(s) were left out of the stays (speed_outlier)",
    );
  });

  it("prints JSON lines of stays and moves", async () => {
    const run = await runCli([
      "route",
      files.baseStation,
      files.card,
      "--json",
    ]);
    const objects = jsonLines(run.stdout);

    expect(
      objects.every(
        (object) => object.type === "stay" || object.type === "move",
      ),
    ).toBe(true);
    const lunch = objects.find((object) => object.place_name === "명동칼국수");
    expect(lunch?.sources).toEqual(["base_station", "card"]);
    expect(lunch?.started_at).toMatch(/^2024-03-05T0\d:\d{2}:00\.000Z$/);
    const move = objects.find((object) => object.type === "move");
    expect(typeof move?.distance_meters).toBe("number");
  });

  it("limits the output to the window", async () => {
    const run = await runCli([
      "route",
      files.baseStation,
      files.card,
      "--json",
      "--from",
      "2024-03-05T12:30:00+09:00",
      "--to",
      "2024-03-05T12:45:00+09:00",
    ]);
    const stays = jsonLines(run.stdout).filter(
      (object) => object.type === "stay",
    );
    expect(stays.map((stay) => stay.place_label)).toEqual(["명동칼국수"]);
  });

  it("takes dates as whole Seoul days", async () => {
    const run = await runCli([
      "route",
      files.baseStation,
      files.interview,
      "--from",
      "2024-03-04",
      "--to",
      "2024-03-04",
    ]);
    expect(lines(run.stdout)).toHaveLength(1);
    expect(run.stdout).toContain("종로 PC방");
  });

  it("prints the hourly view", async () => {
    const run = await runCli([
      "route",
      files.baseStation,
      "--slots",
      "--from",
      "2024-03-05T09:00:00+09:00",
      "--to",
      "2024-03-05T12:00:00+09:00",
    ]);
    expect(lines(run.stdout)).toEqual([
      "slot  2024-03-05 09:00-10:00  stay  base-station area  base_station  confidence 0.40  30 min certain",
      "slot  2024-03-05 10:00-11:00  stay  base-station area  base_station  confidence 0.40  60 min certain",
      "slot  2024-03-05 11:00-12:00  stay  base-station area  base_station  confidence 0.40  60 min certain",
    ]);
  });

  it("prints the hourly view as JSON", async () => {
    const run = await runCli(["route", files.baseStation, "--slots", "--json"]);
    const slots = jsonLines(run.stdout);

    expect(slots).toHaveLength(9);
    expect(slots[0]).toMatchObject({
      type: "slot",
      status: "stay",
      starts_at: "2024-03-05T00:00:00.000Z",
    });
  });

  it("reads a GPX track as GPS", async () => {
    const run = await runCli([
      "route",
      path.join(FIXTURES, "track.gpx"),
      "--json",
    ]);
    expect(run.exitCode).toBeUndefined();
  });

  it("asks for --person in a file of two persons", async () => {
    const failed = await runCli(["route", files.twoPersons]);
    const chosen = await runCli([
      "route",
      files.twoPersons,
      "--person",
      "P2",
      "--json",
    ]);

    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("holds the records of 2 subjects (P1, P2)");
    expect(jsonLines(chosen.stdout).map((object) => object.person_id)).toEqual([
      "P2",
    ]);
  });

  it("matches --person by the subject's digits", async () => {
    const checkIns = await folder.write(
      "phones.csv",
      "subject,venue_name,latitude,longitude,checked_in_at,checked_out_at\n" +
        "010-1111-2222,카페 온,37.5650,126.9790,2024-03-05T15:00:00+09:00,2024-03-05T15:45:00+09:00\n" +
        "01033334444,카페 온,37.5650,126.9790,2024-03-05T16:00:00+09:00,2024-03-05T16:30:00+09:00\n" +
        "01011112222,서점,37.5700,126.9800,2024-03-05T17:00:00+09:00,2024-03-05T17:40:00+09:00\n",
    );

    for (const person of ["01011112222", "010-1111-2222"]) {
      const run = await runCli([
        "route",
        checkIns,
        "--person",
        person,
        "--json",
      ]);
      const stays = jsonLines(run.stdout).filter(
        (object) => object.type === "stay",
      );
      expect(run.exitCode).toBeUndefined();
      expect(stays.map((object) => object.place_name)).toEqual([
        "카페 온",
        "서점",
      ]);
    }
  });

  it("reads a file as the given kind", async () => {
    const run = await runCli(["route", files.card, "--kind", "base-station"]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("could not be read");
  });

  it("rejects a file that no kind reads", async () => {
    const file = await folder.write("other.csv", "a,b\n1,2\n");
    const run = await runCli(["route", file]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "could not be read as any kind of provider data",
    );
  });

  it("rejects a missing file", async () => {
    const run = await runCli(["route", path.join(folder.path, "missing.csv")]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("missing.csv");
  });

  it("rejects a time without a zone", async () => {
    const run = await runCli([
      "route",
      files.card,
      "--from",
      "2024-03-05T09:00",
    ]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("ISO 8601 instant with a zone");
  });

  it("rejects a window that ends before it starts", async () => {
    const run = await runCli([
      "route",
      files.card,
      "--from",
      "2024-03-06",
      "--to",
      "2024-03-05",
    ]);
    expect(run.exitCode).toBe(1);
  });
});
