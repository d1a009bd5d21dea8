import { useEffect, useState } from "react";

import { useI18n } from "../i18n/index.js";
import { requestApi, timingApi } from "./api.js";
import type { RequestStatistics, RequestTiming } from "./types.js";

/** Formats a number of seconds as hours and minutes. */
function useDuration(): (seconds: number | null) => string {
  const { t } = useI18n();
  return (seconds) => {
    if (seconds === null) return t("common.none");
    const minutes = Math.round(seconds / 60);
    return t("requests.duration", {
      hours: String(Math.floor(minutes / 60)),
      minutes: String(minutes % 60),
    });
  };
}

/** Renders when one request's answers reached the route, counted from its submission. */
export function RequestTimingFacts({ requestId }: { requestId: string }) {
  const { t, instant } = useI18n();
  const duration = useDuration();
  const [timing, setTiming] = useState<RequestTiming | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    timingApi
      .getTiming(requestId, controller.signal)
      // The timing is an extra; the page works without it.
      .then(setTiming, () => undefined);
    return () => controller.abort();
  }, [requestId]);

  if (timing === null || timing.submittedAt === null) {
    return null;
  }
  const at = (value: string | null, seconds: number | null) =>
    value === null
      ? t("common.none")
      : `${instant(value)} (${duration(seconds)})`;
  return (
    <section className="panel request-section" data-testid="request-timing">
      <h2>{t("requests.timing")}</h2>
      <dl className="facts">
        <div className="fact">
          <dt>{t("requests.firstAnswerAt")}</dt>
          <dd>{at(timing.firstAnswerAt, timing.secondsToFirstAnswer)}</dd>
        </div>
        <div className="fact">
          <dt>{t("requests.answeredAt")}</dt>
          <dd data-testid="request-time-to-answered">
            {at(timing.answeredAt, timing.secondsToAnswered)}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/**
 * Renders the median and 90th percentile time from submission to the
 * answered route over the caller's requests, and how many are overdue.
 */
export function RequestStatisticsLine() {
  const { t, number } = useI18n();
  const duration = useDuration();
  const [statistics, setStatistics] = useState<RequestStatistics | null>(null);
  const [overdue, setOverdue] = useState<number | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    timingApi
      .getStatistics(controller.signal)
      .then(setStatistics, () => undefined);
    requestApi
      .listRequests({ overdue: true, pageSize: 1 }, controller.signal)
      .then(
        (page) => setOverdue(page.total),
        () => undefined,
      );
    return () => controller.abort();
  }, []);

  if (statistics === null) {
    return null;
  }
  const { answered } = statistics;
  return (
    <p className="request-statistics muted" data-testid="request-statistics">
      {answered.total === 0
        ? t("requests.statisticsEmpty")
        : t("requests.statistics", {
            total: number(answered.total),
            median: duration(answered.medianSeconds),
            p90: duration(answered.p90Seconds),
          })}
      {overdue !== null && overdue > 0 ? (
        <span className="badge request-overdue" data-testid="overdue-count">
          {t("requests.overdueCount", { count: number(overdue) })}
        </span>
      ) : null}
    </p>
  );
}
