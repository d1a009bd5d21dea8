import type { Logger } from "pino";

import { runRetention } from "./run.js";
import type { PurgeContext } from "./purge.js";
import type { RetentionSettings } from "./settings.js";

const DAY_MILLIS = 86_400_000;

/** The audit actor of the scheduled purge. */
const SCHEDULED_ACTOR = {
  userId: null,
  username: "system",
  role: null,
  organisationId: null,
  sourceAddress: null,
};

/**
 * Runs the retention rules once a day, the first time one day after the
 * start, and logs each certificate by case id. Returns null when the
 * settings turn the scheduled purge off.
 */
export function scheduleRetention(
  services: Omit<PurgeContext, "actor">,
  settings: RetentionSettings,
  logger: Logger,
): NodeJS.Timeout | null {
  if (!settings.scheduledPurge) {
    logger.info("scheduled purge is off");
    return null;
  }
  const context = { ...services, actor: SCHEDULED_ACTOR };
  const timer = setInterval(() => {
    runRetention(context, {
      settings,
      authority: `retention rule: card records ${settings.cardRecordDays} days, other location records ${settings.locationRecordDays} days after a case closes`,
    })
      .then((certificates) => {
        for (const certificate of certificates) {
          logger.info(
            { caseId: certificate.caseId, sha256: certificate.sha256 },
            "records past retention purged",
          );
        }
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "scheduled purge failed");
      });
  }, DAY_MILLIS);
  timer.unref();
  return timer;
}
