import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { Command } from "commander";

import {
  bootstrapAdministrator,
  createUser,
  ensureProvinceHealthOffice,
  generateOneTimePassword,
  setPassword,
} from "../../accounts/index.js";
import { readSettings, type Settings } from "../../config/settings.js";
import { importBoundaries } from "../../ingest/boundaries/index.js";
import { importDs4c } from "../../ingest/ds4c/index.js";
import { importGeolife } from "../../ingest/geolife/index.js";
import { createTerminalProgress } from "../../ingest/progress.js";
import { formatImportReport } from "../../ingest/report.js";
import { openStore, type Store } from "../../store/index.js";
import { printWelcome, stopOnSignal } from "./serve.js";

const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);

/** The public data sets the demo imports, relative to the shared data folder. */
const DEMO_SOURCES = {
  ds4c: "korea-covid/ds4c-20200601",
  boundaries: "korea-boundaries/kostat-2018",
  geolife: "mobility/trackintel/geolife_long",
} as const;

const BOUNDARY_FILES = [
  "skorea-provinces-2018-topo-simple.json",
  "skorea-municipalities-2018-topo-simple.json",
  "skorea-submunicipalities-2018-topo-simple.json",
];

/** Demo accounts: an investigator of the Seoul and one of the Busan health office. */
const DEMO_INVESTIGATORS = [
  { username: "seoul.investigator", provinceCode: "11", office: "Seoul" },
  { username: "busan.investigator", provinceCode: "21", office: "Busan" },
] as const;

/** Registers `epitrace demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "import the public DS4C, KOSTAT and GeoLife data into a fresh store in EPITRACE_DATA_DIR/demo and start the server",
    )
    .action(async (_options: unknown, self: Command) => {
      const settings = readSettings();
      const sharedData = path.resolve(
        process.env.EPITRACE_SHARED_DATA ??
          path.join(REPO_ROOT, "../shared/data"),
      );
      const missing = findMissingSource(sharedData);
      if (missing !== null) {
        self.error(
          `The demo data folder ${missing} is missing. Put the public data sets there, or set EPITRACE_SHARED_DATA to the folder that contains them.`,
        );
      }

      const demoSettings: Settings = {
        ...settings,
        dataDir: path.join(settings.dataDir, "demo"),
      };
      if (fs.existsSync(demoSettings.dataDir)) {
        process.stdout.write(
          `Replacing the demo store in ${demoSettings.dataDir}: what was added to it since the last demo is deleted. Use another EPITRACE_DATA_DIR to keep it.\n`,
        );
      }
      fs.rmSync(demoSettings.dataDir, { recursive: true, force: true });
      const accounts = await prepareDemoStore(demoSettings, sharedData);

      // Loaded here, so that the other commands start without the server.
      const { startSystem } = await import("../../server/index.js");
      const system = await startSystem({ settings: demoSettings });
      printWelcome(system);
      printDemoAccounts(accounts);
      stopOnSignal(system);
    });
}

function findMissingSource(sharedData: string): string | null {
  for (const relative of Object.values(DEMO_SOURCES)) {
    const folder = path.join(sharedData, relative);
    if (!fs.existsSync(folder)) {
      return folder;
    }
  }
  return null;
}

interface DemoAccount {
  username: string;
  password: string;
  office: string;
}

async function prepareDemoStore(
  settings: Settings,
  sharedData: string,
): Promise<DemoAccount[]> {
  const store = await openStore({ dataDir: settings.dataDir });
  try {
    await importDemoData(store, sharedData);
    const administrator = await bootstrapAdministrator(store.db);
    const investigators = await createDemoInvestigators(store);
    if (administrator === null) {
      return investigators;
    }
    return [
      {
        username: administrator.username,
        password: administrator.oneTimePassword,
        office: "administrator, one-time password",
      },
      ...investigators,
    ];
  } finally {
    await store.close();
  }
}

async function importDemoData(store: Store, sharedData: string): Promise<void> {
  const progress = createTerminalProgress();
  const boundaries = BOUNDARY_FILES.map((file) =>
    path.join(sharedData, DEMO_SOURCES.boundaries, file),
  );
  const seoulOffice = await ensureProvinceHealthOffice(store.db, "11");

  const reports = [
    await importBoundaries(store, boundaries, { progress }),
    await importDs4c(store, path.join(sharedData, DEMO_SOURCES.ds4c), {
      progress,
    }),
    await importGeolife(store, path.join(sharedData, DEMO_SOURCES.geolife), {
      progress,
      registerCasesAt: seoulOffice.id,
    }),
  ];
  for (const report of reports) {
    process.stdout.write(`${formatImportReport(report)}\n`);
  }
}

async function createDemoInvestigators(store: Store): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const investigator of DEMO_INVESTIGATORS) {
    const office = await ensureProvinceHealthOffice(
      store.db,
      investigator.provinceCode,
    );
    const { user } = await createUser(store.db, {
      username: investigator.username,
      displayName: `${investigator.office} demo investigator`,
      role: "investigator",
      organisationId: office.id,
    });

    const password = generateOneTimePassword();
    await setPassword(store.db, user.id, password);
    accounts.push({
      username: investigator.username,
      password,
      office: office.name,
    });
  }
  return accounts;
}

function printDemoAccounts(accounts: readonly DemoAccount[]): void {
  const lines = ["", "Demo accounts (passwords shown once):"];
  for (const account of accounts) {
    lines.push(
      `  ${account.username} / ${account.password}  (${account.office})`,
    );
  }
  lines.push(
    "",
    "The GeoLife tracks are registered as cases GL-000 and GL-001 of the Seoul health office.",
    "Investigators add a TOTP authenticator app at their first sign-in; the page shows the secret.",
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}
