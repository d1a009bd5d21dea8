export type { CaseDetails } from "./details.js";
export {
  compareMovements,
  listMovements,
  loadMovements,
  type Movement,
  type MovementArea,
} from "./movements.js";
export { registerCase, type NewCase, type NewPerson } from "./register.js";
export {
  searchCases,
  type CaseSearch,
  type CaseSearchResult,
  type CaseSummaryRow,
} from "./search.js";
export { closeCase, updateCase, type CaseChanges } from "./update.js";
export { viewCase } from "./view.js";
export { addInterviewVisit, type InterviewVisit } from "./visits.js";
