import { createHash } from "node:crypto";

/** An export of a case's data recorded in the audit log: a copy outside the system. */
export interface ExportCopy {
  auditEventId: number;
  action: string;
  /** ISO 8601 instant, UTC. */
  occurredAt: string;
  actorUsername: string | null;
  /** The reason stated for the export. */
  purpose: string | null;
  /** File format, such as `csv` or `geojson`; null when the event names none. */
  format: string | null;
  /** Hex SHA-256 of the exported file; null when the event names none. */
  sha256: string | null;
}

/** How many records of each kind a purge destroyed. */
export interface DestroyedCounts {
  locationRecords: number;
  cardRecords: number;
  stays: number;
  /** Persons whose name and identifiers were erased. */
  persons: number;
  /** Data requests whose phone number and card holder were erased. */
  requestIdentifiers: number;
  uploads: number;
  uploadFiles: number;
  imports: number;
  contactDecisions: number;
  /** 1 when the case's data key was destroyed. */
  dataKeys: number;
}

/** The statement of what one purge destroyed, when and on whose authority. */
export interface DestructionCertificate {
  caseId: string;
  caseNumber: string;
  /**
   * `case` for the whole case, `records` for the records past retention
   * only, `persons_without_case` for the persons that imports brought in
   * outside any case, destroyed at the end of the epidemic.
   */
  scope: "case" | "records" | "persons_without_case";
  /** ISO 8601 instant, UTC. */
  destroyedAt: string;
  /** The decision or rule the purge ran under, as given. */
  authority: string;
  /** Username of the actor: a command-line actor, or `system` for the scheduled job. */
  performedBy: string;
  destroyed: DestroyedCounts;
  /** Exports of the case found in the audit log, which this purge cannot reach. */
  copiesOutsideSystem: ExportCopy[];
  /** Hex SHA-256 over the certificate's JSON without this field, keys sorted. */
  sha256: string;
}

/** Returns the certificate with its SHA-256 filled in. */
export function sealCertificate(
  certificate: Omit<DestructionCertificate, "sha256">,
): DestructionCertificate {
  return { ...certificate, sha256: certificateHash(certificate) };
}

/** Computes the SHA-256 over a certificate's fields other than `sha256`. */
export function certificateHash(
  certificate: Omit<DestructionCertificate, "sha256"> & { sha256?: string },
): string {
  const { sha256: _ignored, ...fields } = certificate;
  return createHash("sha256").update(canonicalJson(fields)).digest("hex");
}

function compareCodeUnits(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** Serialises to JSON with object keys sorted at every level, so that the hash does not depend on key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}
