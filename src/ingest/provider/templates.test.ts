import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { KIND_SPECS, PROVIDER_KINDS } from "./kinds.js";
import {
  TEMPLATE_VERSIONS,
  templateFileName,
  templateHeader,
  templateSample,
  templateSchema,
} from "./templates.js";
import { REPO_ROOT } from "./test-support.js";
import { validateProviderFiles } from "./validate.js";

/** Set EPITRACE_UPDATE_TEMPLATES=1 to rewrite the published templates from the kind specs. */
const UPDATE = process.env.EPITRACE_UPDATE_TEMPLATES === "1";
const TEMPLATES = path.join(REPO_ROOT, "src/ingest/provider/templates");

async function published(name: string, generated: string): Promise<string> {
  const file = path.join(TEMPLATES, name);
  if (UPDATE) {
    await writeFile(file, generated);
  }
  return readFile(file, "utf8");
}

describe.each(PROVIDER_KINDS)("%s template", (kind) => {
  it("matches the published sample", async () => {
    const sample = templateSample(kind);
    expect(await published(templateFileName(kind, "sample.csv"), sample)).toBe(
      sample,
    );
  });

  it("matches the published schema", async () => {
    // Compared as data, because Prettier may lay out the file differently.
    const schema = templateSchema(kind);
    const text = await published(
      templateFileName(kind, "schema.json"),
      `${JSON.stringify(schema, null, 2)}\n`,
    );
    expect(JSON.parse(text)).toEqual(schema);
  });

  it("sample validates without rejections", async () => {
    const result = await validateProviderFiles(
      [path.join(TEMPLATES, templateFileName(kind, "sample.csv"))],
      { kind },
    );
    expect(result.fileErrors).toEqual([]);
    expect(result.rowsRejected).toBe(0);
    expect(result.records).toHaveLength(KIND_SPECS[kind].sample.length);
    expect(result.files[0]?.ignoredColumns).toEqual([]);
  });

  it("is listed in the format guide", async () => {
    const guide = await readFile(
      path.join(REPO_ROOT, "docs/provider-formats.md"),
      "utf8",
    );
    expect(guide).toContain(templateHeader(kind));
    expect(guide).toContain(
      `Template version ${TEMPLATE_VERSIONS[kind]}. Sample: \`src/ingest/provider/templates/${templateFileName(kind, "sample.csv")}\`; JSON Schema: \`src/ingest/provider/templates/${templateFileName(kind, "schema.json")}\`.`,
    );
  });

  it("carries version 1", () => {
    expect(TEMPLATE_VERSIONS[kind]).toBe(1);
    expect(templateFileName(kind, "sample.csv")).toBe(`${kind}-sample.v1.csv`);
    expect(templateFileName(kind, "header.csv")).toBe(`${kind}-header.v1.csv`);
    expect(templateSchema(kind)).toMatchObject({
      $id: `https://epitrace.invalid/provider/${kind}.v1.schema.json`,
      version: 1,
    });
  });

  it("header names every field", () => {
    expect(templateHeader(kind).trimEnd().split(",")).toEqual(
      KIND_SPECS[kind].fields.map((field) => field.name),
    );
  });
});
