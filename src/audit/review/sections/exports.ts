import type { Kysely } from "kysely";

import type { Database } from "../../../store/index.js";
import {
  selectAuditRecords,
  toAuditRecord,
  type AuditRecord,
} from "../events.js";
import type { SeoulMonth } from "../seoul-calendar.js";

/** A download or export with the check of its stated reason. */
export interface ExportRecord extends AuditRecord {
  /** True when the event states no reason (its purpose is missing or blank). */
  reasonMissing: boolean;
}

export interface ExportsSection {
  /** Exports without a stated reason. */
  missingReason: number;
  items: ExportRecord[];
}

/**
 * Lists every download and export of the month, in time order, with the
 * reason stated for it. Any action whose name ends in `.export` counts.
 */
export async function findExports(
  db: Kysely<Database>,
  month: SeoulMonth,
): Promise<ExportsSection> {
  const rows = await selectAuditRecords(db)
    .where("audit_events.occurred_at", ">=", month.startsAt)
    .where("audit_events.occurred_at", "<", month.endsAt)
    .where("audit_events.action", "like", "%.export")
    .orderBy("audit_events.occurred_at")
    .orderBy("audit_events.id")
    .execute();

  const items = rows.map((row) => {
    const record = toAuditRecord(row);
    const reasonMissing = (record.purpose ?? "").trim() === "";
    return { ...record, reasonMissing };
  });
  return {
    missingReason: items.filter((item) => item.reasonMissing).length,
    items,
  };
}
