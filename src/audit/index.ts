export {
  appendAuditEvent,
  commandLineActor,
  type AuditActor,
  type AuditEntry,
} from "./append.js";
export { GENESIS_HASH, hashAuditEvent } from "./chain.js";
export { writeCheckpoint } from "./checkpoint.js";
export {
  loadSigningKey,
  signingKeySource,
  type SigningKey,
  type SigningKeySource,
} from "./signing-key.js";
export {
  verifyAuditLog,
  type AuditProblem,
  type AuditProblemKind,
  type AuditVerification,
} from "./verify.js";
