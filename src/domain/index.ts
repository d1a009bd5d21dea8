export { PROVINCES, findProvince, type Province } from "./provinces.js";
export {
  isCalendarDate,
  seoulDateOf,
  seoulDayEnd,
  seoulDayStart,
} from "./seoul-time.js";
