import type { Migration, MigrationProvider } from "kysely";

import * as initial from "./0001-initial.js";
import * as providerRecords from "./0002-provider-records.js";
import * as auditCheckpointsAndLockout from "./0003-audit-checkpoints-and-lockout.js";
import * as dataRequests from "./0004-data-requests.js";
import * as secondFactor from "./0005-second-factor.js";
import * as contactDecisions from "./0006-contact-decisions.js";
import * as encryptedIdentifiers from "./0007-encrypted-identifiers.js";
import * as organisationNetworks from "./0008-organisation-networks.js";
import * as spaceTimeIndex from "./0010-space-time-index.js";
import * as providerInboxAndNotifications from "./0011-provider-inbox-and-notifications.js";
import * as cellSeries from "./0012-cell-series.js";
import * as seriesBlocks from "./0013-series-blocks.js";
import * as personCardNumbers from "./0014-person-card-numbers.js";

/**
 * Every migration in the order it applies. Migrations are listed here
 * instead of read from a folder so that the compiled server and the tests
 * see the same set.
 */
const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-provider-records": providerRecords,
  "0003-audit-checkpoints-and-lockout": auditCheckpointsAndLockout,
  "0004-data-requests": dataRequests,
  "0005-second-factor": secondFactor,
  "0006-contact-decisions": contactDecisions,
  "0007-encrypted-identifiers": encryptedIdentifiers,
  "0008-organisation-networks": organisationNetworks,
  "0010-space-time-index": spaceTimeIndex,
  "0011-provider-inbox-and-notifications": providerInboxAndNotifications,
  "0012-cell-series": cellSeries,
  "0013-series-blocks": seriesBlocks,
  "0014-person-card-numbers": personCardNumbers,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
