import type { ProviderKind } from "./kinds.js";

// This module imports only types, so that the web app can import it
// without the kind specifications.

/**
 * Version of each kind's template. A change to a kind's columns or their
 * meaning that would make an older filled-in file read differently gets a
 * new version. Version 1 is the first published one.
 */
export const TEMPLATE_VERSIONS: Readonly<Record<ProviderKind, number>> = {
  "base-station": 1,
  card: 1,
  gps: 1,
  checkin: 1,
  interview: 1,
};

/** Files of a kind's template, as the download route names them. */
export const TEMPLATE_FILES = [
  "header.csv",
  "sample.csv",
  "schema.json",
] as const;
export type TemplateFile = (typeof TEMPLATE_FILES)[number];

/** Returns the name under which a template file is published and downloaded, such as `gps-sample.v1.csv`. */
export function templateFileName(
  kind: ProviderKind,
  file: TemplateFile,
): string {
  const version = `v${TEMPLATE_VERSIONS[kind]}`;
  switch (file) {
    case "header.csv":
      return `${kind}-header.${version}.csv`;
    case "sample.csv":
      return `${kind}-sample.${version}.csv`;
    case "schema.json":
      return `${kind}.${version}.schema.json`;
  }
}

/**
 * Returns the name under which the template route serves the current
 * version of a template file, such as `sample.v1.csv`.
 */
export function templateRouteName(
  kind: ProviderKind,
  file: TemplateFile,
): string {
  const dot = file.lastIndexOf(".");
  return `${file.slice(0, dot)}.v${TEMPLATE_VERSIONS[kind]}${file.slice(dot)}`;
}
