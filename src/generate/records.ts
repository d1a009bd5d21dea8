import { MERCHANT_CATEGORIES, type Place } from "./city.js";
import { altitudeOf, offset } from "./geo.js";
import type { Card, Person } from "./people.js";
import { Random } from "./random.js";
import { positionOnMove } from "./base-station.js";
import { MINUTE_MS, type Period, type Segment } from "./routine.js";
import { formatSeoulInstant } from "./time.js";

/** Headers of the files, the templates'. */
export const CARD_HEADER =
  "subject,card_number,paid_at,merchant_name,address,business_category,latitude,longitude,amount_krw,card_company";
export const CHECKIN_HEADER =
  "subject,venue_id,venue_name,address,latitude,longitude,visit_date,checked_in_at,checked_out_at";
export const GPS_HEADER =
  "subject,tracked_at,ended_at,visit_date,latitude,longitude,accuracy_meters,altitude_meters,place_name,address";

/** A card transaction, ready to be written. */
export interface CardRow {
  readonly person: Person;
  /** Start of the stay at the merchant, which names the visit. */
  readonly visitStartsAt: number;
  readonly place: Place;
  readonly card: Card;
  readonly paidAt: number;
  readonly line: string;
}

/** A QR check-in, ready to be written. */
export interface CheckinRow {
  readonly person: Person;
  /** Start of the stay at the venue, which names the visit. */
  readonly visitStartsAt: number;
  readonly venue: Place;
  readonly checkedInAt: number;
  readonly line: string;
}

/** A GPS position fix. */
export interface GpsFix {
  readonly trackedAt: number;
  readonly latitude: number;
  readonly longitude: number;
  readonly accuracyMeters: number;
  readonly altitudeMeters: number;
}

/**
 * Returns the card transactions of a person: one per merchant visit paid by
 * card (the rest is cash), at the category's share of the visit, mostly
 * with the person's first card.
 */
export function cardRowsOf(
  person: Person,
  timeline: readonly Segment[],
  period: Period,
  seed: number,
): CardRow[] {
  const random = new Random(seed, `card:${person.index}`);
  const rows: CardRow[] = [];
  for (const segment of timeline) {
    const place = segment.place;
    if (
      place === null ||
      place.kind !== "merchant" ||
      !isInPeriod(segment, period)
    ) {
      continue;
    }
    if (!random.chance(person.cardRate)) {
      continue;
    }
    const category = MERCHANT_CATEGORIES.find(
      (item) => item.category === place.category,
    )!;
    const card =
      person.cards.length > 1 && random.chance(0.3)
        ? person.cards[1]!
        : person.cards[0]!;
    const paidAt =
      Math.round(
        (segment.startsAt +
          (segment.endsAt - segment.startsAt) * category.paymentShare) /
          1_000,
      ) * 1_000;
    const amount =
      Math.round(
        random.uniform(category.amountKrw[0], category.amountKrw[1]) / 100,
      ) * 100;
    rows.push(cardRow(person, card, place, segment.startsAt, paidAt, amount));
  }
  return rows;
}

function cardRow(
  person: Person,
  card: Card,
  place: Place,
  visitStartsAt: number,
  paidAt: number,
  amount: number,
): CardRow {
  const position = place.cardHasPosition
    ? `${place.latitude.toFixed(6)},${place.longitude.toFixed(6)}`
    : ",";
  const line = [
    person.phone,
    card.maskedNumber,
    formatSeoulInstant(paidAt),
    place.name,
    place.address,
    place.category,
    position,
    `"${formatWon(amount)}"`,
    card.company,
  ].join(",");
  return { person, visitStartsAt, place, card, paidAt, line };
}

/**
 * Returns the QR check-ins of a person: most venue visits are checked in a
 * minute or two after arrival, and many are checked out shortly before
 * leaving.
 */
export function checkinRowsOf(
  person: Person,
  timeline: readonly Segment[],
  period: Period,
  seed: number,
): CheckinRow[] {
  const random = new Random(seed, `checkin:${person.index}`);
  const rows: CheckinRow[] = [];
  for (const segment of timeline) {
    const venue = segment.place;
    if (
      venue === null ||
      venue.kind !== "venue" ||
      !isInPeriod(segment, period)
    ) {
      continue;
    }
    if (!random.chance(person.checkInRate)) {
      continue;
    }
    const checkedInAt = segment.startsAt + random.integer(0, 120) * 1_000;
    const checkedOut = random.chance(person.checkOutRate)
      ? formatSeoulInstant(
          Math.max(
            checkedInAt + MINUTE_MS,
            segment.endsAt - random.integer(0, 120) * 1_000,
          ),
        )
      : "";
    const line = [
      person.phone,
      venue.id,
      venue.name,
      venue.address,
      venue.latitude.toFixed(6),
      venue.longitude.toFixed(6),
      "",
      formatSeoulInstant(checkedInAt),
      checkedOut,
    ].join(",");
    rows.push({
      person,
      visitStartsAt: segment.startsAt,
      venue,
      checkedInAt,
      line,
    });
  }
  return rows;
}

/**
 * Returns the GPS fixes of a person: every minute on the move, every 5 to 14
 * minutes at a place, and every 15 to 30 minutes at home at night, each
 * scattered by its accuracy of 4 to 25 m.
 */
export function gpsFixesOf(
  person: Person,
  timeline: readonly Segment[],
  period: Period,
  seed: number,
): GpsFix[] {
  const random = new Random(seed, `gps:${person.index}`);
  const fixes: GpsFix[] = [];
  const endsAt = period.startsAt + period.days * 24 * 60 * MINUTE_MS;
  let segmentIndex = 0;
  let instant = period.startsAt + random.integer(0, 300) * 1_000;
  while (instant < endsAt) {
    while (
      segmentIndex < timeline.length - 1 &&
      timeline[segmentIndex]!.endsAt <= instant
    ) {
      segmentIndex++;
    }
    const segment = timeline[segmentIndex]!;
    const isMoving = segment.place === null;
    const truePosition = isMoving
      ? positionOnMove(segment, instant)
      : segment.place!;
    const accuracy = isMoving ? random.integer(4, 12) : random.integer(6, 25);
    const scattered = offset(
      truePosition,
      random.normal() * accuracy * 0.5,
      random.normal() * accuracy * 0.5,
    );
    fixes.push({
      trackedAt: instant,
      latitude: Math.round(scattered.latitude * 1e6) / 1e6,
      longitude: Math.round(scattered.longitude * 1e6) / 1e6,
      accuracyMeters: accuracy,
      altitudeMeters: Math.round(altitudeOf(truePosition)),
    });
    const hour = new Date(instant + 9 * 60 * MINUTE_MS).getUTCHours();
    const isNight = hour < 6 && segment.place?.kind === "home";
    const gapSeconds = isMoving
      ? 60
      : isNight
        ? random.integer(900, 1_800)
        : random.integer(300, 840);
    instant += gapSeconds * 1_000;
  }
  return fixes;
}

/** Returns the GPS CSV line of a fix. */
export function gpsLine(subject: string, fix: GpsFix): string {
  return `${subject},${formatSeoulInstant(fix.trackedAt)},,,${fix.latitude.toFixed(6)},${fix.longitude.toFixed(6)},${fix.accuracyMeters},${fix.altitudeMeters},,`;
}

/** Returns a GPX 1.1 document of one track of fixes. */
export function gpxDocument(name: string, fixes: readonly GpsFix[]): string {
  const points = fixes.map(
    (fix) =>
      `      <trkpt lat="${fix.latitude.toFixed(6)}" lon="${fix.longitude.toFixed(6)}"><ele>${fix.altitudeMeters}</ele><time>${formatSeoulInstant(fix.trackedAt)}</time></trkpt>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="epitrace generate" xmlns="http://www.topografix.com/GPX/1/1">',
    "  <trk>",
    `    <name>${name}</name>`,
    "    <trkseg>",
    ...points,
    "    </trkseg>",
    "  </trk>",
    "</gpx>",
    "",
  ].join("\n");
}

/** Formats whole won with thousands separators, such as 12,000, without depending on a locale. */
function formatWon(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+$)/g, ",");
}

function isInPeriod(segment: Segment, period: Period): boolean {
  return (
    segment.startsAt < period.startsAt + period.days * 24 * 60 * MINUTE_MS &&
    segment.startsAt >= period.startsAt
  );
}
