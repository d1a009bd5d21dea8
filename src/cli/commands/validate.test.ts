import path from "node:path";

import { Command, CommanderError } from "commander";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TemporaryFolder } from "../../ingest/provider/test-support.js";
import { registerImportCommand } from "./import.js";
import { registerProviderImportCommands } from "./import-provider.js";

const folder = new TemporaryFolder();

beforeAll(async () => {
  await folder.create();
  process.env.EPITRACE_DATA_DIR = path.join(folder.path, "store");
});

afterAll(async () => {
  delete process.env.EPITRACE_DATA_DIR;
  await folder.remove();
});

interface CliRun {
  stdout: string;
  stderr: string;
  /** The exit code commander asked for, or undefined when the command succeeded. */
  exitCode: number | undefined;
}

/** Builds a program with the import commands registered as the main program will have them. */
function buildProgram(): Command {
  const program = new Command("epitrace").showHelpAfterError();
  registerImportCommand(program);
  registerProviderImportCommands(program);
  return program;
}

/** Runs `epitrace ARGS` in-process and returns what it wrote and its exit code. */
async function runCli(args: readonly string[]): Promise<CliRun> {
  const program = buildProgram();
  const run: CliRun = { stdout: "", stderr: "", exitCode: undefined };
  const writers = {
    writeOut: (text: string) => {
      run.stdout += text;
    },
    writeErr: (text: string) => {
      run.stderr += text;
    },
  };
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput(writers);
    command.commands.forEach(configure);
  };
  configure(program);

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

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const FIXES =
  "user_id,tracked_at,latitude,longitude,accuracy\n" +
  "P1,2024-03-05T14:31:00+09:00,37.567,126.9784,10\n" +
  "P1,2024-03-05 14:30:00,37.5665,126.978,12\n";

describe("epitrace validate --json", () => {
  it("prints records and a summary", async () => {
    const file = await folder.write("fixes.csv", FIXES);
    const run = await runCli(["validate", file, "--kind", "gps", "--json"]);

    expect(run.exitCode).toBeUndefined();
    expect(jsonLines(run.stdout)).toEqual([
      {
        type: "record",
        kind: "gps",
        subject: "P1",
        instant: "2024-03-05T05:30:00.000Z",
        latitude: 37.5665,
        longitude: 126.978,
        radius_meters: 12,
        altitude_meters: null,
        place_name: null,
        address: null,
        place_types: [],
        note: null,
        details: {},
        flags: ["assumed_zone"],
        file: "fixes.csv",
        rows: [2],
      },
      {
        type: "record",
        kind: "gps",
        subject: "P1",
        instant: "2024-03-05T05:31:00.000Z",
        latitude: 37.567,
        longitude: 126.9784,
        radius_meters: 10,
        altitude_meters: null,
        place_name: null,
        address: null,
        place_types: [],
        note: null,
        details: {},
        flags: [],
        file: "fixes.csv",
        rows: [1],
      },
      {
        type: "summary",
        kind: "gps",
        rows_read: 2,
        records: 2,
        rows_rejected: 0,
        duplicate_rows_merged: 0,
        files: [
          {
            file: "fixes.csv",
            format: "csv",
            encoding: "utf-8",
            delimiter: ",",
            rows_read: 2,
            ignored_columns: [],
            error: null,
          },
        ],
        flags: { assumed_zone: 1 },
      },
    ]);
  });

  it("prints intervals and dates", async () => {
    const file = await folder.write(
      "visits.csv",
      "place,address,date,arrival,departure\n약국,서울 중구,2024-03-05,14:00,14:20\n직장,서울 중구,2024-03-06,,\n",
    );
    const run = await runCli([
      "validate",
      file,
      "--kind",
      "interview",
      "--subject",
      "C-1",
      "--json",
    ]);
    const records = jsonLines(run.stdout).filter(
      (line) => line.type === "record",
    );
    expect(
      records.map(({ subject, start, end, date, instant }) => ({
        subject,
        start,
        end,
        date,
        instant,
      })),
    ).toEqual([
      {
        subject: "C-1",
        start: "2024-03-05T05:00:00.000Z",
        end: "2024-03-05T05:20:00.000Z",
        date: undefined,
        instant: undefined,
      },
      {
        subject: "C-1",
        start: undefined,
        end: undefined,
        date: "2024-03-06",
        instant: undefined,
      },
    ]);
  });

  it("prints rejected rows and exits with 1", async () => {
    const file = await folder.write(
      "swapped.csv",
      "latitude,longitude,tracked_at\n126.97,37.56,2024-03-05T00:00:00Z\n37.56,126.97,2024-03-05T00:01:00Z\n",
    );
    const run = await runCli(["validate", file, "--kind", "gps", "--json"]);

    expect(run.exitCode).toBe(1);
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toEqual({
      type: "rejected",
      file: "swapped.csv",
      row: 1,
      field: "latitude",
      value: "126.97",
      rule: "coordinates_swapped",
      hint:
        "Latitude 126.97 is outside -90 to 90, but longitude 37.56 would be a valid latitude: the values look swapped. " +
        "Swap the latitude and longitude columns.",
    });
    expect(lines.filter((line) => line.type === "record")).toHaveLength(1);
    expect(run.stderr).toBe(
      "Validation failed: 1 row(s) rejected and 0 file(s) not read. Fix the files and rows listed above and validate again.\n",
    );
  });

  it("prints a file that cannot be read as row 0", async () => {
    const file = await folder.write(
      "header-only.csv",
      "latitude,longitude,tracked_at\n",
    );
    const run = await runCli(["validate", file, "--kind", "gps", "--json"]);
    expect(run.exitCode).toBe(1);
    expect(jsonLines(run.stdout)[0]).toEqual({
      type: "rejected",
      file: "header-only.csv",
      row: 0,
      field: "(file)",
      value: "",
      rule: "no_data_rows",
      hint: "header-only.csv has a header but no data rows. Export the data again with its rows.",
    });
  });
});

describe("epitrace validate", () => {
  it("reports the encoding it detected", async () => {
    const file = await folder.write(
      "cp949.csv",
      iconv.encode(
        "업소명,방문일자,입장시간\n뷁 분식,2020-05-03,12:05\n",
        "cp949",
      ),
    );
    const run = await runCli(["validate", file, "--kind", "checkin"]);
    expect(run.exitCode).toBeUndefined();
    expect(run.stdout).toBe(
      [
        "Validate checkin:",
        '  cp949.csv: csv, encoding cp949, delimiter ","',
        "  rows read 1, valid 1, rejected 0",
        "  records 1",
        "  flagged assumed_zone: 1 records (a time had no UTC offset, so it was read in the declared zone)",
        "  flagged end_unknown: 1 records (the record gives a start but no end)",
        "",
      ].join("\n"),
    );
  });

  it("requires --kind", async () => {
    const file = await folder.write("kindless.csv", FIXES);
    const run = await runCli(["validate", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "required option '--kind <kind>' not specified",
    );
    expect(run.stderr).toContain("Usage: epitrace validate");
  });

  it("rejects an invalid --year", async () => {
    const run = await runCli([
      "validate",
      "x.csv",
      "--kind",
      "gps",
      "--year",
      "20",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "Expected a year of four digits, such as 2020.",
    );
  });
});

describe("epitrace import FILE", () => {
  it("imports once and skips the second time", async () => {
    const file = await folder.write("import-fixes.csv", FIXES);
    const first = await runCli([
      "import",
      file,
      "--kind",
      "gps",
      "--subject",
      "P1",
    ]);
    expect(first.exitCode).toBeUndefined();
    expect(first.stdout).toContain("rows read 2, imported 2, rejected 0");
    expect(first.stdout).toContain(
      "read 2 rows from import-fixes.csv, encoding utf-8",
    );
    expect(first.stdout).toContain("locationRecords: 2");

    const second = await runCli([
      "import",
      file,
      "--kind",
      "gps",
      "--subject",
      "P1",
    ]);
    expect(second.exitCode).toBeUndefined();
    expect(second.stdout).toContain(
      "skipped: the same content was imported before",
    );
  });

  it("fails on an invalid row and names it", async () => {
    const file = await folder.write(
      "import-bad.csv",
      "latitude,longitude,tracked_at\n126.97,37.56,2024-03-05T00:00:00Z\n",
    );
    const run = await runCli([
      "import",
      file,
      "--kind",
      "gps",
      "--subject",
      "P2",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("nothing was stored");
    expect(run.stderr).toContain("coordinates_swapped");
    expect(run.stderr).not.toContain("Usage:");
    expect(run.stderr).toContain("rerun with --skip-invalid");
    expect(run.stderr).not.toContain("import id");
  });

  it("writes rejected rows with --skip-invalid", async () => {
    const file = await folder.write(
      "import-skip.csv",
      "latitude,longitude,tracked_at\n126.97,37.56,2024-03-05T00:00:00Z\n37.56,126.97,2024-03-05T00:01:00Z\n",
    );
    const rejected = path.join(folder.path, "rejected.csv");
    const run = await runCli([
      "import",
      file,
      "--kind",
      "gps",
      "--subject",
      "P3",
      "--skip-invalid",
      "--rejected-file",
      rejected,
    ]);
    expect(run.exitCode).toBeUndefined();
    expect(run.stdout).toContain("rows read 2, imported 1, rejected 1");
    expect(run.stdout).toContain(`rejected rows written to ${rejected}`);
  });

  it("requires --kind", async () => {
    const run = await runCli(["import", "some.csv"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Missing --kind:");
    expect(run.stderr).toContain(
      "base-station, card, gps, checkin or interview",
    );
  });

  it("leaves import ds4c to its own command", async () => {
    const run = await runCli([
      "import",
      "ds4c",
      path.join(folder.path, "missing"),
      "--skip-invalid",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("epitrace import ds4c failed: Cannot read");
  });
});
