import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { ProviderRecord } from "./records.js";
import {
  validateProviderFiles,
  type ProviderReadOptions,
  type ProviderValidation,
} from "./validate.js";

/** Root of the repository, for tests that read the shared data beside it. */
export const REPO_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);

/** Folder of the small provider files written for the tests. */
export const FIXTURES = path.join(REPO_ROOT, "src/ingest/provider/fixtures");

/** A temporary folder for files that a test writes, removed by `remove`. */
export class TemporaryFolder {
  path = "";

  async create(): Promise<void> {
    this.path = await mkdtemp(path.join(os.tmpdir(), "epitrace-provider-"));
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }

  async write(name: string, content: string | Buffer): Promise<string> {
    const file = path.join(this.path, name);
    await writeFile(file, content);
    return file;
  }

  /** Writes `content` to a file and validates it. */
  async validate(
    name: string,
    content: string | Buffer,
    options: ProviderReadOptions,
  ): Promise<ProviderValidation> {
    return validateProviderFiles([await this.write(name, content)], options);
  }
}

/** Returns a record with its instants as UTC ISO 8601 text, for readable expectations. */
export function readable(record: ProviderRecord): Record<string, unknown> {
  const iso = (instant: number | null) =>
    instant === null ? null : new Date(instant).toISOString();
  return {
    ...record,
    startedAt: iso(record.startedAt),
    endedAt: iso(record.endedAt),
  };
}
