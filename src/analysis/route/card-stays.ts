import {
  DEFAULT_CARD_DWELLS,
  DEFAULT_OTHER_CARD_DWELL,
  findCardDwell,
  type CardDwell,
} from "./card-dwell.js";
import {
  checkNonNegativeOption,
  checkOptionalRadius,
  checkRecord,
  checkShareOption,
  minutesToMilliseconds,
  recordIdOf,
  sortedIndexes,
} from "./checks.js";
import type { ExcludedRecord, SourceStays, TimedSourceStay } from "./types.js";

/** A card transaction at a merchant whose position is known. */
export interface CardTransaction {
  /** Id of the transaction in its source, such as `card.csv:7`. */
  readonly id?: string;
  /** Instant of the transaction in epoch milliseconds. */
  readonly paidAt: number;
  readonly merchantName: string;
  /** Business category as the card company gives it, such as 한식 or 편의점. */
  readonly businessCategory?: string | null;
  /** WGS 84 latitude of the merchant in decimal degrees. */
  readonly latitude: number;
  /** WGS 84 longitude of the merchant in decimal degrees. */
  readonly longitude: number;
  /** Uncertainty of the merchant's position in metres; the `radiusMeters` option when null. */
  readonly radiusMeters?: number | null;
  readonly address?: string | null;
  /** Amount in won; a negative amount is a cancellation. */
  readonly amountKrw?: number | null;
}

/** Settings of the card stays. Every field is optional. */
export interface CardStayOptions {
  /** Dwell times by business category, tried in order. Default `DEFAULT_CARD_DWELLS`. */
  readonly dwells?: readonly CardDwell[];
  /** Dwell of a merchant of no listed category. Default 15 minutes, half before the payment. */
  readonly otherDwell?: CardDwell;
  /** Radius in metres of a merchant without one: about a shop and its entrance. Default 30. */
  readonly radiusMeters?: number;
}

/** A stay at a merchant, estimated around a card payment. */
export interface CardStay extends TimedSourceStay {
  readonly source: "card";
  /** Category whose dwell was used, such as `restaurant` or `other`. */
  readonly category: string;
  /** Instant of the payment in epoch milliseconds. */
  readonly paidAt: number;
  readonly amountKrw: number | null;
}

/**
 * Builds a stay at the merchant of each card transaction. The stay lasts
 * the dwell of the merchant's category (see `DEFAULT_CARD_DWELLS`), placed
 * so that the given share of it comes before the payment. The payment is
 * the only observed instant, so the stay's timing is `estimated`. The part
 * before the payment is its certain part, because a timed stay's possible
 * part can only follow its certain part, and the rest is its possible end.
 *
 * A cancellation (negative amount) may be made away from the merchant and
 * is left out. The input is not modified. Throws a RangeError for an
 * invalid option or transaction.
 */
export function detectCardStays(
  personId: string,
  transactions: readonly CardTransaction[],
  options: CardStayOptions = {},
): SourceStays<CardStay> {
  const dwells = options.dwells ?? DEFAULT_CARD_DWELLS;
  const otherDwell = options.otherDwell ?? DEFAULT_OTHER_CARD_DWELL;
  [...dwells, otherDwell].forEach(checkDwell);
  const radiusMeters = checkNonNegativeOption(
    "radiusMeters",
    options.radiusMeters ?? 30,
  );

  transactions.forEach(checkTransaction);
  const stays: CardStay[] = [];
  const excluded: ExcludedRecord[] = [];
  for (const index of sortedIndexes(transactions, (item) => item.paidAt)) {
    const transaction = transactions[index]!;
    const id = recordIdOf(transaction, index);
    if ((transaction.amountKrw ?? 0) < 0) {
      excluded.push(cancellationOf(transaction, id));
      continue;
    }
    const dwell = findCardDwell(
      transaction.businessCategory,
      transaction.merchantName,
      dwells,
      otherDwell,
    );
    stays.push(
      buildStay(personId, stays.length, transaction, id, dwell, radiusMeters),
    );
  }
  return { stays, excluded };
}

function checkDwell(dwell: CardDwell, index: number): void {
  checkNonNegativeOption(`dwells[${index}].dwellMinutes`, dwell.dwellMinutes);
  checkShareOption(
    `dwells[${index}].shareBeforePayment`,
    dwell.shareBeforePayment,
  );
}

function checkTransaction(transaction: CardTransaction, index: number): void {
  checkRecord("card transaction", transaction, index, {
    paidAt: transaction.paidAt,
  });
  checkOptionalRadius(
    "card transaction",
    index,
    "radiusMeters",
    transaction.radiusMeters,
  );
}

function buildStay(
  personId: string,
  index: number,
  transaction: CardTransaction,
  recordId: string,
  dwell: CardDwell,
  defaultRadiusMeters: number,
): CardStay {
  const dwellMilliseconds = minutesToMilliseconds(dwell.dwellMinutes);
  const beforeMilliseconds = Math.round(
    dwellMilliseconds * dwell.shareBeforePayment,
  );
  const paidAt = transaction.paidAt;
  return {
    id: `card-${index + 1}`,
    personId,
    source: "card",
    latitude: transaction.latitude,
    longitude: transaction.longitude,
    radiusMeters: transaction.radiusMeters ?? defaultRadiusMeters,
    startedAt: paidAt - beforeMilliseconds,
    lastFixAt: paidAt,
    finishedAt: paidAt + dwellMilliseconds - beforeMilliseconds,
    observedFrom: paidAt,
    observedTo: paidAt,
    timing: "estimated",
    placeName: transaction.merchantName,
    address: transaction.address ?? null,
    recordIds: [recordId],
    category: dwell.category,
    paidAt,
    amountKrw: transaction.amountKrw ?? null,
  };
}

function cancellationOf(
  transaction: CardTransaction,
  recordId: string,
): ExcludedRecord {
  return {
    source: "card",
    recordId,
    reason: "cancellation",
    recordedAt: transaction.paidAt,
    detail: `Cancellation of ${transaction.amountKrw} won at ${transaction.merchantName}, which may be made away from the merchant.`,
  };
}
