export {
  DEFAULT_BASE_STATION_STAY_OPTIONS,
  detectBaseStationStays,
  type BaseStationStay,
  type BaseStationStayOptions,
  type CellRecord,
} from "./base-station-stays.js";
export {
  buildRoute,
  type RouteInput,
  type RouteOptions,
} from "./build-route.js";
export {
  DEFAULT_CARD_DWELLS,
  DEFAULT_OTHER_CARD_DWELL,
  findCardDwell,
  type CardDwell,
} from "./card-dwell.js";
export {
  detectCardStays,
  type CardStay,
  type CardStayOptions,
  type CardTransaction,
} from "./card-stays.js";
export {
  detectCheckinStays,
  type CheckIn,
  type CheckinStay,
  type CheckinStayOptions,
} from "./checkin-stays.js";
export {
  combineConfidence,
  confidenceLevelOf,
  DEFAULT_SOURCE_CONFIDENCE,
} from "./fuse/confidence.js";
export { DEFAULT_FUSE_OPTIONS, fuseStays } from "./fuse/fuse.js";
export { NO_DATA_GAP_MINUTES } from "./fuse/finish.js";
export type {
  AreaLabelFunction,
  ConfidenceLevel,
  FuseOptions,
  Route,
  RouteDateOnlyStay,
  RouteMove,
  RouteStay,
} from "./fuse/types.js";
export {
  routeToGeoJson,
  sourceStaysToGeoJson,
  timeSlotsToGeoJson,
} from "./geojson.js";
export {
  DEFAULT_GPS_STAY_OPTIONS,
  detectGpsStays,
  type GpsFix,
  type GpsStay,
  type GpsStayEnd,
  type GpsStayOptions,
} from "./gps-stays.js";
export {
  routeInputFromRecords,
  type RouteRecords,
  type UnplacedRecord,
} from "./provider-records.js";
export {
  routeTimeSlots,
  type TimeSlot,
  type TimeSlotOptions,
  type TimeSlotStatus,
} from "./time-slots.js";
export {
  ROUTE_SOURCES,
  type DateOnlySourceStay,
  type ExcludedRecord,
  type ExclusionReason,
  type RouteSource,
  type SourceStay,
  type SourceStays,
  type StayTiming,
  type TimedSourceStay,
} from "./types.js";
export {
  detectVisitStays,
  type VisitEntry,
  type VisitSource,
  type VisitStayOptions,
  type VisitStays,
} from "./visit-stays.js";
