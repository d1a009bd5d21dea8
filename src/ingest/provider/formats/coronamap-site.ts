import type { ReadItem } from "../row-reader.js";
import { textOf } from "./geojson.js";
import { asObject, presentValues, type Json } from "./coronamap.js";

const COLUMN_NAMES = {
  visit_date: "month/day",
  latitude: "latlng",
  longitude: "latlng",
  place_name: "address",
  address: "address_name",
};

const LAT_LNG = /^\s*([^,]+?)\s*,\s*([^,]+?)\s*$/;

/** Tells whether parsed JSON looks like the coronamap.site visit list: an array of visits with `month`, `day` and a `latlng` string. */
export function isCoronamapSiteDocument(document: Json): boolean {
  if (!Array.isArray(document)) {
    return false;
  }
  const first = asObject(document[0]);
  return (
    first !== undefined &&
    typeof first.latlng === "string" &&
    "month" in first &&
    "day" in first
  );
}

/**
 * Reads the coronamap.site visit list, one interview visit per array
 * element, numbered from 1. The site gives the month and day of a visit
 * but no year, so `--year` must complete the date (`missing_year`
 * otherwise). `address` is the place's name and `address_name` its
 * address. The site links no visit to a patient, so the rows have no
 * subject.
 */
export function* readCoronamapSiteRows(
  document: Json,
  file: string,
): Generator<ReadItem> {
  const visits = Array.isArray(document) ? document : [];
  for (let index = 0; index < visits.length; index++) {
    const row = index + 1;
    const visit = asObject(visits[index]);
    if (visit === undefined) {
      yield structureRejection(file, row, JSON.stringify(visits[index]));
      continue;
    }
    const latlng = textOf(visit.latlng);
    const position = LAT_LNG.exec(latlng);
    if (latlng !== "" && position === null) {
      yield positionRejection(file, row, latlng);
      continue;
    }
    const visitDate = monthDayText(visit.month, visit.day);
    if (visitDate === "") {
      yield missingDateRejection(file, row);
      continue;
    }
    const values = {
      visit_date: visitDate,
      latitude: position?.[1] ?? "",
      longitude: position?.[2] ?? "",
      place_name: textOf(visit.address).trim(),
      address: textOf(visit.address_name).trim(),
    };
    yield {
      type: "row",
      row: {
        file,
        row,
        values: presentValues(values),
        columnNames: COLUMN_NAMES,
      },
    };
  }
}

/** Writes a month and day as a Korean date without a year, such as 4월 9일, which the date parser completes with `--year`. */
function monthDayText(month: Json, day: Json): string {
  const monthText = textOf(month);
  const dayText = textOf(day);
  if (monthText === "" && dayText === "") {
    return "";
  }
  return `${monthText}월 ${dayText}일`;
}

function structureRejection(
  file: string,
  row: number,
  value: string,
): ReadItem {
  return {
    type: "rejected",
    rejection: {
      file,
      row,
      field: "(visit)",
      value: value.slice(0, 100),
      rule: "coronamap_structure",
      hint: "Each element of a coronamap.site visit list must be an object with month, day, address, address_name and latlng.",
    },
  };
}

function positionRejection(file: string, row: number, value: string): ReadItem {
  return {
    type: "rejected",
    rejection: {
      file,
      row,
      field: "latlng",
      value,
      rule: "number_format",
      hint: 'Write latlng as "latitude, longitude" in decimal degrees, such as "37.5665, 126.9780".',
    },
  };
}

function missingDateRejection(file: string, row: number): ReadItem {
  return {
    type: "rejected",
    rejection: {
      file,
      row,
      field: "month/day",
      value: "",
      rule: "required",
      hint: "The visit has no month and day. Fill in both, or leave the visit out with --skip-invalid.",
    },
  };
}
