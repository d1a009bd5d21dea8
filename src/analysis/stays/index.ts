export type { DateOnlyStay, Stay, TimedStay } from "./types.js";
export { isDateOnlyStay, validateStay } from "./validate.js";
