import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Command } from "commander";

/** Standard output and error of a command run in-process. */
export interface CliOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `epitrace ARGS` in-process on the given program and returns its
 * standard output and error. Commander's exits become thrown errors.
 */
export async function runProgram(
  program: Command,
  args: readonly string[],
): Promise<CliOutput> {
  const output = { stdout: "", stderr: "" };
  const writers = {
    writeOut: (text: string) => {
      output.stdout += text;
    },
    writeErr: (text: string) => {
      output.stderr += text;
    },
  };
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput(writers);
  }
  await program.parseAsync([...args], { from: "user" });
  return output;
}

/** Header of the stays CSV that `contacts` and `exposure` read. */
export const STAYS_HEADER =
  "id,person_id,source,started_at,last_fix_at,finished_at,visit_date,latitude,longitude,radius_meters";

/** Stays of a case and five others around Seoul City Hall on 2020-05-02 and 2020-05-03. */
export const STAYS_CSV = [
  STAYS_HEADER,
  "c1,case,gps,2020-05-02T01:00:00+09:00,2020-05-02T02:00:00+09:00,,,37.5665,126.978,3",
  "c2,case,disclosed_visit,,,,2020-05-03,37.57,126.98,10",
  "a1,alice,checkin,2020-05-02T01:20:00+09:00,2020-05-02T01:50:00+09:00,,,37.5665,126.97801,0",
  "b1,bob,card,2020-05-02T01:55:00+09:00,2020-05-02T01:59:00+09:00,2020-05-02T02:30:00+09:00,,37.5665,126.978,0",
  "d1,dana,disclosed_visit,,,,2020-05-03,37.57,126.98,5",
  "e1,erin,gps,2020-05-02T00:00:00+09:00,2020-05-02T04:00:00+09:00,,,37.5667,126.978,10",
].join("\n");

/** Header of a venue's check-in list. */
export const CHECKIN_HEADER =
  "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at";

/** Provider files of five persons on 2024-03-05 (Seoul), by file name. */
export const PROVIDER_FILES: Readonly<Record<string, string>> = {
  // The case: a check-in at a karaoke room and a card payment at a restaurant.
  "case-checkin.csv": [
    CHECKIN_HEADER,
    "010-1111-2222,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:00:00+09:00,2024-03-05T20:30:00+09:00",
  ].join("\n"),
  "case-card.csv": [
    "subject,card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company",
    "010-1111-2222,9430-12**-****-5678,2024-03-05T12:40:00+09:00,명동칼국수,,한식,37.5625,126.9856,9000,신한카드",
  ].join("\n"),
  // Alice's phone every 10 minutes from 18:50 to 20:50 at a micro cell 28 m from the karaoke room.
  "alice.csv": [
    "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters",
    ...Array.from({ length: 13 }, (_, k) => {
      const minutes = 18 * 60 + 50 + 10 * k;
      const time = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
      return `01033334444,2024-03-05T${time}:00+09:00,45005-1,micro,37.5667,126.9782,250`;
    }),
  ].join("\n"),
  // The venue's list: Alice again, Dana, the case itself and Erin at another venue.
  "venue.csv": [
    CHECKIN_HEADER,
    "010-3333-4444,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:30:00+09:00,2024-03-05T20:00:00+09:00",
    "dana,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T20:10:00+09:00,2024-03-05T21:00:00+09:00",
    "010-1111-2222,V-1,노래방 A,,37.5665,126.9780,,2024-03-05T19:00:00+09:00,2024-03-05T20:30:00+09:00",
    "erin,V-9,PC방,,37.6000,127.0500,,2024-03-05T19:00:00+09:00,2024-03-05T21:00:00+09:00",
  ].join("\n"),
  // Bob's GPX track: a fix every 2 minutes at the restaurant from 12:00 to 12:40.
  "bob.gpx": [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>',
    ...Array.from(
      { length: 21 },
      (_, k) =>
        `<trkpt lat="37.56252" lon="126.98562"><time>2024-03-05T03:${String(2 * k).padStart(2, "0")}:00Z</time></trkpt>`,
    ),
    "</trkseg></trk></gpx>",
  ].join("\n"),
};

/** Writes PROVIDER_FILES into `folder`/provider. */
export async function writeProviderFiles(folder: string): Promise<void> {
  await mkdir(path.join(folder, "provider"));
  for (const [name, text] of Object.entries(PROVIDER_FILES)) {
    await writeFile(path.join(folder, "provider", name), text);
  }
}

/** Returns the paths of the named files that `writeProviderFiles` wrote into `folder`. */
export function providerFilesIn(
  folder: string,
  names: readonly string[],
): string[] {
  return names.map((name) => path.join(folder, "provider", name));
}

export const MINUTE_MS = 60_000;

/** A drawn check-in at one of a test's venues, by index. */
export interface DrawnVisit {
  readonly venue: number;
  /** Epoch milliseconds, whole minutes. */
  readonly startsAt: number;
  readonly endsAt: number;
}
