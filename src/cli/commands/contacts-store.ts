import { InvalidArgumentError, type Command } from "commander";

import {
  listCaseContacts,
  type CaseContact,
  type CaseContacts,
  type CaseContactsOptions,
} from "../../investigation/index.js";
import { presentCaseContacts } from "../../server/presenters/analysis.js";
import { formatInstant, quoteCsvField } from "./csv-output.js";
import { runOnStore } from "./store-analysis.js";

/** Header of the `contacts --case-id` CSV output, one person per row. */
export const STORE_CONTACTS_CSV_HEADER =
  "person_id,label,case_number,kind,certain_minutes,possible_minutes,score,possible_score,first_overlap_at,last_overlap_at,dates,decision";

/** Options of `contacts --case-id` that the store search reads. */
export interface StoreContactsOptions {
  readonly caseId: string;
  readonly reason?: string | undefined;
  readonly searchOptions: CaseContactsOptions;
  readonly json?: true | undefined;
  /** Options of the file search that do not apply to a stored case. */
  readonly fileOptions: Record<string, unknown>;
}

/**
 * Finds the contacts of a stored case as `GET /api/cases/:id/contacts`
 * does, through the case's access check, which writes one audit event.
 * `--json` prints the object of that endpoint, and otherwise one CSV row
 * per person.
 */
export async function runContactsOnStore(
  options: StoreContactsOptions,
  command: Command,
  write: (text: string) => void,
): Promise<void> {
  const given = Object.entries(options.fileOptions)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (given.length > 0) {
    throw new InvalidArgumentError(
      `--case-id reads the case and its dates from the store: leave out ${given.join(", ")}, and set the period with --from and --until if needed.`,
    );
  }
  const result = await runOnStore(
    command,
    "contacts",
    { reason: options.reason, caseId: options.caseId },
    (context, caseId) =>
      listCaseContacts(context, caseId!, options.searchOptions),
  );
  write(
    options.json === true
      ? `${JSON.stringify(presentCaseContacts(result), null, 2)}\n`
      : storeContactsCsv(result),
  );
}

function storeContactsCsv(result: CaseContacts): string {
  const rows = [
    ...result.contacts.map((contact) => contactFields(contact, "contact")),
    ...result.possibleContacts.map((contact) =>
      contactFields(contact, "possible"),
    ),
    ...result.dayLevelContacts.map((contact) =>
      contactFields(contact, "day_level"),
    ),
  ];
  const lines = [
    STORE_CONTACTS_CSV_HEADER,
    ...rows.map((fields) => fields.map(quoteCsvField).join(",")),
  ];
  return `${lines.join("\n")}\n`;
}

function contactFields(contact: CaseContact, kind: string): string[] {
  const text = (value: number | null) => (value === null ? "" : String(value));
  const instant = (value: number | null) =>
    value === null ? "" : formatInstant(value);
  return [
    contact.person.personId,
    contact.person.label,
    contact.person.case?.caseNumber ?? "",
    kind,
    text(contact.certainMinutes),
    text(contact.possibleMinutes),
    text(contact.score),
    text(contact.possibleScore),
    instant(contact.firstOverlapAt),
    instant(contact.lastOverlapAt),
    contact.dates.join(" "),
    contact.decision?.decision ?? "",
  ];
}
