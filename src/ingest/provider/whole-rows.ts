import type { NormalisedItem } from "./fast-csv.js";

/**
 * Groups the items of a format whose source rows each give several points,
 * such as a Takeout activitySegment or a GeoJSON LineString, by their row
 * number. A row with any rejected point yields only its rejections, so a
 * source row is either stored whole or rejected whole.
 */
export async function* wholeRows(
  items: AsyncIterable<NormalisedItem>,
): AsyncGenerator<NormalisedItem[]> {
  let group: NormalisedItem[] = [];
  let groupRow: number | undefined;
  for await (const item of items) {
    const row = rowOf(item);
    if (row !== groupRow && group.length > 0) {
      yield withoutRecordsOfRejected(group);
      group = [];
    }
    groupRow = row;
    group.push(item);
  }
  if (group.length > 0) {
    yield withoutRecordsOfRejected(group);
  }
}

function rowOf(item: NormalisedItem): number | undefined {
  switch (item.type) {
    case "header":
      return undefined;
    case "rejected":
      return item.rejection.row;
    default:
      return item.source.row;
  }
}

function withoutRecordsOfRejected(group: NormalisedItem[]): NormalisedItem[] {
  const isRejected = group.some(
    (item) => item.type === "rejected" || item.type === "invalid",
  );
  return isRejected ? group.filter((item) => item.type !== "record") : group;
}
