export {
  auditActorOf,
  authorize,
  withCaseAccess,
  withPersonalDataSearch,
  type AccessContext,
  type CaseAccess,
  type SummarizedCaseAccess,
  type Caller,
} from "./guard.js";
export { commandLineAccess } from "./command-line.js";
export { coversCase } from "./jurisdiction.js";
export {
  ACTIONS,
  PERSONAL_DATA_ACTIONS,
  isPermitted,
  permissionsOf,
  type Action,
} from "./permissions.js";
