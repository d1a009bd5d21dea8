import type { ReadItem } from "../row-reader.js";
import { textOf } from "./geojson.js";
import { asObject, presentValues, type Json } from "./coronamap.js";

const HOUR_MILLIS = 3_600_000;
/** Offset of Korea Standard Time, which has had no daylight saving time since 1988. */
const SEOUL_OFFSET_MILLIS = 9 * HOUR_MILLIS;

/** Tells whether parsed JSON looks like the coronamap.live patient map: an object of patients, each with its visits in `data.data`. */
export function isCoronamapLiveDocument(document: Json): boolean {
  const patients = asObject(document);
  if (patients === undefined) {
    return false;
  }
  const first = asObject(Object.values(patients)[0]);
  return Array.isArray(asObject(first?.data)?.data);
}

/**
 * Reads the coronamap.live patient map: an object whose keys identify the
 * patients, each with its visits in `data.data`. Each visit is one
 * interview visit of the patient whose key is its subject, so a file of
 * several patients gives several subjects. Visits are numbered from 1
 * through the whole file, patient by patient in the order of the parsed
 * object (numeric keys ascending, as JSON.parse orders them), and a
 * rejection names the visit by its JSON path, such as
 * `137.data.data[2].date`.
 */
export function* readCoronamapLiveRows(
  document: Json,
  file: string,
): Generator<ReadItem> {
  const patients = Object.entries(asObject(document) ?? {});
  let row = 0;
  for (const [key, patient] of patients) {
    const visits = asObject(asObject(patient)?.data)?.data;
    if (!Array.isArray(visits)) {
      row++;
      yield structureRejection(file, row, key);
      continue;
    }
    for (let index = 0; index < visits.length; index++) {
      row++;
      yield visitRow(asObject(visits[index]) ?? {}, file, row, {
        key,
        path: `${key}.data.data[${index}]`,
      });
    }
  }
}

function visitRow(
  visit: Record<string, Json>,
  file: string,
  row: number,
  patient: { key: string; path: string },
): ReadItem {
  const latlng = asObject(visit.latlng) ?? {};
  const place = asObject(visit.place) ?? {};
  const description = asObject(visit.address) ?? {};
  const values = {
    subject: patient.key,
    visit_date: seoulDateText(textOf(visit.date)),
    latitude: textOf(latlng.y ?? latlng._lat),
    longitude: textOf(latlng.x ?? latlng._lng),
    place_name: textOf(place.kr).trim() || textOf(place.en).trim(),
    note: textOf(description.kr).trim(),
  };
  const { path } = patient;
  if (values.visit_date === "") {
    return missingDateRejection(file, row, `${path}.date`);
  }
  return {
    type: "row",
    row: {
      file,
      row,
      values: presentValues(values),
      columnNames: {
        subject: `${path} (patient key)`,
        visit_date: `${path}.date`,
        latitude: `${path}.latlng.y`,
        longitude: `${path}.latlng.x`,
        place_name: `${path}.place.kr`,
        note: `${path}.address.kr`,
      },
    },
  };
}

/**
 * Returns the calendar day in Seoul of a visit's date. The dates are
 * instants at midnight of varying zones, most likely the zone of whoever
 * entered them: `2020-02-17T15:00:00.000Z` (midnight in Seoul) and
 * `2020-02-18T00:00:00.000Z` (midnight UTC) both mean 18 February. Taken in
 * Seoul time, midnight of any zone from UTC-14:00 to UTC+09:00 falls on
 * the day it names. Text that is not an instant with an offset is returned
 * unchanged for the date parser to read or reject.
 */
function seoulDateText(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T.*(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    return text;
  }
  const millis = Date.parse(text);
  if (Number.isNaN(millis)) {
    return text;
  }
  return new Date(millis + SEOUL_OFFSET_MILLIS).toISOString().slice(0, 10);
}

function structureRejection(file: string, row: number, key: string): ReadItem {
  return {
    type: "rejected",
    rejection: {
      file,
      row,
      field: `${key}.data.data`,
      value: "",
      rule: "coronamap_structure",
      hint: "Each patient of a coronamap.live map must list its visits in data.data, an array of objects with date, latlng and place.",
    },
  };
}

function missingDateRejection(
  file: string,
  row: number,
  field: string,
): ReadItem {
  return {
    type: "rejected",
    rejection: {
      file,
      row,
      field,
      value: "",
      rule: "required",
      hint: "The visit has no date. Fill in its date, or leave the visit out with --skip-invalid.",
    },
  };
}
