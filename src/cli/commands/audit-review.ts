import type { Command } from "commander";

import { appendAuditEvent, commandLineActor } from "../../audit/index.js";
import {
  buildMonthlyReview,
  formatSeoulDateTime,
  readReviewSettings,
  type AuditAccount,
  type MonthlyReview,
} from "../../audit/review/index.js";
import { readSettings } from "../../config/settings.js";
import {
  presentMonthlyReview,
  presentReviewSettings,
} from "../../server/presenters/audit.js";
import { openStore } from "../../store/index.js";

/**
 * Registers `epitrace audit review` below the `audit` command, which
 * registerAuditCommand must have registered first.
 */
export function registerAuditReviewCommand(program: Command): void {
  const audit = program.commands.find((command) => command.name() === "audit");
  if (audit === undefined) {
    throw new Error(
      "The audit command is missing: call registerAuditCommand before registerAuditReviewCommand.",
    );
  }

  audit
    .command("review")
    .description(
      "print the monthly review of the audit log: bulk views, access outside working hours, access to other jurisdictions, exports and failed logins",
    )
    .requiredOption(
      "--month <YYYY-MM>",
      "calendar month in Asia/Seoul to review, such as 2020-03",
    )
    .option("--json", "print the review as JSON, in the shape of the API")
    .action(async (options: { month: string; json?: boolean }) => {
      const settings = readSettings();
      const reviewSettings = readReviewSettings();
      const store = await openStore({ dataDir: settings.dataDir });
      try {
        const review = await buildMonthlyReview(
          store.db,
          options.month,
          reviewSettings,
        );
        await appendAuditEvent(store.db, {
          actor: commandLineActor("audit review"),
          action: "audit.review",
          result: "allowed",
          detail: { month: review.month, events: review.eventCount },
        });
        const output =
          options.json === true
            ? JSON.stringify(presentMonthlyReview(review))
            : formatReview(review);
        process.stdout.write(`${output}\n`);
      } finally {
        await store.close();
      }
    });
}

/** Formats the review as text for the terminal, times in Seoul. */
export function formatReview(review: MonthlyReview): string {
  const settings = presentReviewSettings(review.settings);
  const weekend =
    settings.weekendDays.length === 0
      ? "no weekend days"
      : `weekends ${settings.weekendDays.join(", ")}`;
  const lines = [
    `Audit review of ${review.month} (Asia/Seoul): ${review.eventCount} events.`,
    "",
    `Bulk views, more than ${settings.bulkPersonsPerDay} distinct persons in a day: ${review.bulkViews.length}`,
    ...review.bulkViews.map(
      (item) =>
        `  ${item.date}  ${accountText(item.account)}  ${item.distinctPersons} persons in ${item.events} events`,
    ),
    "",
    `Access outside working hours (${settings.workdayStart}-${settings.workdayEnd}, ${weekend}): ${review.outsideHours.events} events`,
    ...review.outsideHours.items.map(
      (item) =>
        `  ${item.date}${item.weekend ? " (weekend)" : ""}  ${accountText(item.account)}  ${item.events} events, ${spanText(item)}`,
    ),
    "",
    `Access to cases of another jurisdiction: ${review.foreignCases.denied} denied, ${review.foreignCases.allowed} allowed`,
    ...review.foreignCases.items.map(
      (item) =>
        `  ${item.result}  ${accountText(item.account)}  case ${item.case.caseNumber} of ${item.case.organisation.name ?? item.case.organisation.id}, ${item.person.label ?? item.person.id}  ${item.events} events, ${spanText(item)}`,
    ),
    "",
    `Downloads and exports: ${review.exports.items.length}, ${review.exports.missingReason} without a stated reason`,
    ...review.exports.items.map(
      (item) =>
        `  ${formatSeoulDateTime(item.occurredAt)}  ${accountText(item.account)}  ${item.action}  reason: ${item.reasonMissing ? "(missing)" : item.purpose}`,
    ),
    "",
    `Failed logins: ${review.failedLogins.failures}, account locks: ${review.failedLogins.locks}`,
    ...review.failedLogins.items.map(
      (item) =>
        `  ${accountText(item.account)}  ${item.failures} failures (${reasonsText(item.reasons)}), ${item.locks} locks, from ${item.sourceAddresses.join(", ") || "no address"}`,
    ),
  ];
  return lines.join("\n");
}

function accountText(account: AuditAccount): string {
  const name = account.username ?? account.userId ?? "(unknown)";
  const organisation = account.organisation?.name;
  return organisation === undefined || organisation === null
    ? name
    : `${name} (${organisation})`;
}

function spanText(item: { firstAt: number; lastAt: number }): string {
  const first = formatSeoulDateTime(item.firstAt);
  const last = formatSeoulDateTime(item.lastAt);
  return first === last ? first : `${first} to ${last}`;
}

function reasonsText(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
}
