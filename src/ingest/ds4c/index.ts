export { importDs4c, type Ds4cImportOptions } from "./import.js";
export {
  AFTER_CONFIRMATION_FLAG,
  EXACT_DUPLICATE,
  SAME_VISIT_OTHER_FIELDS,
} from "./patient-route.js";
export { DS4C_SOURCE } from "./write.js";
