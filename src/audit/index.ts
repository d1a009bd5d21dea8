export {
  appendAuditEvent,
  commandLineActor,
  type AuditActor,
  type AuditEntry,
} from "./append.js";
export { GENESIS_HASH, hashAuditEvent } from "./chain.js";
