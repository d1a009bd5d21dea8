export {
  DEFAULT_STAYPOINT_OPTIONS,
  generateStaypoints,
  generateStaypointsByPerson,
} from "./sliding.js";
export type {
  PersonStaypoint,
  PositionFix,
  Staypoint,
  StaypointOptions,
} from "./types.js";
