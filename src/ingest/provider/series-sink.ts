import { cachedValue } from "./bounded-cache.js";
import {
  detailsJsonOfLast4,
  detailsJsonOfPhone,
  type TemplateHit,
} from "./fast-csv.js";
import type { RecordFinisher } from "./finish.js";
import { sortInstant, type ProviderRecord } from "./records.js";
import type { RecordSink } from "./scan.js";
import { SeriesEncoder } from "./series-encoder.js";
import type { StagedRecord } from "./staging.js";

/**
 * Thrown when a file turns out not to be in the shape that can go straight
 * into series: a subject's records out of time order, a subject coming
 * back after another, a record without an instant or position, or a file
 * that cannot be read. The import then starts again through its staging
 * database.
 */
export class NotStreamableError extends Error {
  constructor(reason: string) {
    super(`The records cannot be written as they are read: ${reason}.`);
    this.name = "NotStreamableError";
  }
}

/** Receiver of the finished records by subject index, such as a series writer or encoder. */
export interface SeriesReceiver {
  add(key: number, record: StagedRecord): void;
}

/** Details objects whose JSON is kept, per subject. */
const MAX_CACHED_DETAILS = 16_384;

const EMPTY_LIST = "[]";
const EMPTY_OBJECT = "{}";

/**
 * Passes the records of a scan, as they are read, through the finisher
 * (duplicates merged, implausible speeds flagged) into a series writer.
 * Needs the records of each subject together and in time order, the
 * order in which operators send a response; otherwise it throws a
 * NotStreamableError at the first record out of place.
 */
export class SeriesSink implements RecordSink {
  readonly #finisher: RecordFinisher;
  readonly #finishedSubjects = new Set<number>();
  readonly #emit: (record: StagedRecord) => void;
  #subject = Number.NaN;
  #latestInstant = -Infinity;
  #seq = 0;
  readonly #detailsJson = new Map<Record<string, unknown>, string>();

  constructor(finisher: RecordFinisher, writer: SeriesReceiver) {
    this.#finisher = finisher;
    this.#emit = (record) => writer.add(record.subjectIndex, record);
  }

  add(record: ProviderRecord, fileIndex: number, subjectIndex: number): number {
    const instant = sortInstant(record);
    this.#follow(subjectIndex, instant);
    const staged = this.#stagedOf(record, instant, fileIndex, subjectIndex);
    if (!SeriesEncoder.accepts(staged)) {
      throw new NotStreamableError("a record has no instant or no position");
    }
    this.#finisher.push(staged, this.#emit);
    return instant;
  }

  /** Takes the row of a template hit as `add` takes the record that recordOfHit makes of it. */
  addHit(
    hit: TemplateHit,
    subject: string,
    fileIndex: number,
    subjectIndex: number,
  ): number {
    const instant = hit.instant;
    this.#follow(subjectIndex, instant);
    // The hit becomes its own staged record.
    const template = hit.template;
    hit.seq = this.#seq++;
    hit.subjectIndex = subjectIndex;
    hit.subject = subject;
    hit.fileIndex = fileIndex;
    hit.rows = [hit.row];
    hit.detailsJson = detailsJsonOfPhone(template, hit.phone);
    hit.flagsJson = template.flagsJson;
    if (!SeriesEncoder.accepts(hit)) {
      throw new NotStreamableError("a record has no instant or no position");
    }
    this.#finisher.push(hit, this.#emit);
    return instant;
  }

  /**
   * Follows the subjects and instants of the records as they come, and
   * throws a NotStreamableError when a subject comes back or goes back in
   * time.
   */
  #follow(subjectIndex: number, instant: number): void {
    if (subjectIndex !== this.#subject) {
      if (this.#finishedSubjects.has(subjectIndex)) {
        throw new NotStreamableError(
          "the records of a subject are not all together",
        );
      }
      if (!Number.isNaN(this.#subject)) {
        this.#finishedSubjects.add(this.#subject);
      }
      this.#subject = subjectIndex;
      this.#latestInstant = -Infinity;
      this.#detailsJson.clear();
    }
    if (instant < this.#latestInstant) {
      throw new NotStreamableError(
        "the records of a subject are not in time order",
      );
    }
    this.#latestInstant = instant;
  }

  dropFile(): void {
    throw new NotStreamableError("a file cannot be read");
  }

  /** Passes on the records that the finisher still holds. */
  end(): void {
    this.#finisher.end(this.#emit);
  }

  #stagedOf(
    record: ProviderRecord,
    instant: number,
    fileIndex: number,
    subjectIndex: number,
  ): StagedRecord {
    return {
      seq: this.#seq++,
      instant,
      subjectIndex,
      subject: record.subject,
      fileIndex,
      // The record's own list, which no other record shares.
      rows: record.rows,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      visitDate: record.visitDate,
      latitude: record.latitude,
      longitude: record.longitude,
      radiusMeters: record.radiusMeters,
      altitudeMeters: record.altitudeMeters,
      placeName: record.placeName,
      address: record.address,
      placeTypesJson: listJson(record.placeTypes),
      note: record.note,
      detailsJson: this.#detailsJsonOf(record),
      flagsJson: listJson(record.flags),
      sharedPlace: record.sharedPlace,
    };
  }

  /**
   * Returns the JSON of a record's details: from its template for its
   * phone's last digits, or else made once for an object that several
   * records of a subject share. Records are not changed after they are
   * read, so an object's JSON stays right. The cache is emptied at each
   * new subject, whose records have details objects of their own.
   */
  #detailsJsonOf(record: ProviderRecord): string {
    const details = record.details;
    const place = record.sharedPlace;
    if (place !== undefined && typeof details.phoneLast4 === "string") {
      return detailsJsonOfLast4(place, details.phoneLast4);
    }
    return cachedValue(
      this.#detailsJson,
      details,
      MAX_CACHED_DETAILS,
      objectJson,
    );
  }
}

/** JSON of the lists of one item, which most flagged records have. */
const singleItemLists = new Map<string, string>();

function listJson(list: readonly string[]): string {
  if (list.length === 0) {
    return EMPTY_LIST;
  }
  if (list.length > 1) {
    return JSON.stringify(list);
  }
  const item = list[0]!;
  let json = singleItemLists.get(item);
  if (json === undefined) {
    json = JSON.stringify(list);
    if (singleItemLists.size < 64) {
      singleItemLists.set(item, json);
    }
  }
  return json;
}

function objectJson(object: Record<string, unknown>): string {
  for (const _key in object) {
    return JSON.stringify(object);
  }
  return EMPTY_OBJECT;
}
