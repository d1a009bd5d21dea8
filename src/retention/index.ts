export {
  certificateHash,
  sealCertificate,
  type DestroyedCounts,
  type DestructionCertificate,
  type ExportCopy,
} from "./certificate.js";
export {
  compactStore,
  purgeCase,
  type PurgeContext,
  type PurgeOptions,
} from "./purge.js";
export { addDays, runRetention, type RetentionRunOptions } from "./run.js";
export { scheduleRetention } from "./schedule.js";
export {
  MIN_AUDIT_RETENTION_YEARS,
  readRetentionSettings,
  type RetentionSettings,
} from "./settings.js";
export {
  BACKUP_UPLOADS_TABLE,
  backupStore,
  openBackupUpload,
  type BackupOptions,
  type BackupResult,
} from "./backup.js";
