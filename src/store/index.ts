export {
  openStore,
  type Dialect,
  type Store,
  type StoreOptions,
} from "./store.js";
export type * from "./schema.js";
export {
  countSeriesRecords,
  deleteSeries,
  withinBlockBounds,
  type SeriesDeletion,
  type SeriesRecordCounts,
  type SeriesSelection,
} from "./series.js";
