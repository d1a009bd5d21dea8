import { useEffect, useMemo, useState } from "react";

import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { RouteMap } from "../map/RouteMap.js";
import type { MappedStay } from "../map/route-layers.js";
import { fetchCaseRoute, placeTitleOf, type CaseRoute } from "./route-api.js";
import { RouteTimeline } from "./RouteTimeline.js";
import { TimeSlots } from "./TimeSlots.js";

import "./route.css";

type Loaded =
  | { status: "loading" }
  | { status: "failed"; message: string }
  | { status: "ready"; route: CaseRoute };

/** Days of hourly slots the server returns at most; kept in step with MAX_SLOT_DAYS. */
const MAX_SLOT_DAYS = 62;
const HOURS_PER_DAY = 24;

/**
 * Renders a case's fused route: a map of its stays with their uncertainty
 * circles, the stays and moves in time order, and the hourly view.
 * `reloadKey` changes when the case's records change.
 */
export function CaseRoutePanel({
  caseId,
  reloadKey = 0,
}: {
  caseId: string;
  reloadKey?: number;
}) {
  const { t, number, label } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const [highlightedId, setHighlightedId] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchCaseRoute(caseId, controller.signal)
      .then((route) => setLoaded({ status: "ready", route }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setLoaded({ status: "failed", message: errorText(error) });
        }
      });
    return () => controller.abort();
  }, [caseId, reloadKey]);

  const route = loaded.status === "ready" ? loaded.route : null;
  const mapped = useMemo(() => mappedStaysOf(route), [route]);
  const titles = useMemo(
    () =>
      new Map(
        [...(route?.stays ?? []), ...(route?.dateOnlyStays ?? [])].map(
          (stay) => [stay.id, placeTitleOf(stay, label)],
        ),
      ),
    [route, label],
  );
  const isSlotViewCut =
    (route?.timeSlots.length ?? 0) >= MAX_SLOT_DAYS * HOURS_PER_DAY;

  return (
    <section className="case-route" data-testid="case-route">
      <div className="case-route-toolbar">
        <h2>{t("route.title")}</h2>
        {route === null ? null : (
          <span className="muted" data-testid="route-summary">
            {t("route.summary", {
              stays: number(route.stays.length + route.dateOnlyStays.length),
              moves: number(route.moves.length),
              excluded: number(route.excluded.length),
            })}
          </span>
        )}
        <span className="muted time-zone-note">{t("movements.timeZone")}</span>
      </div>
      {loaded.status === "failed" ? (
        <ErrorMessage message={loaded.message} />
      ) : null}
      {loaded.status === "loading" ? (
        <p className="empty">{t("common.loading")}</p>
      ) : null}
      {route !== null &&
      route.stays.length === 0 &&
      route.dateOnlyStays.length === 0 ? (
        <p className="empty">{t("route.empty")}</p>
      ) : null}
      {route === null ? null : (
        <>
          <div className="case-route-body">
            <RouteMap
              stays={mapped}
              moves={route.moves}
              highlightedId={highlightedId}
            />
            <div className="route-timeline-panel">
              <RouteTimeline
                stays={route.stays}
                dateOnlyStays={route.dateOnlyStays}
                moves={route.moves}
                highlightedId={highlightedId}
                onHover={setHighlightedId}
              />
              {route.excluded.map((record) => (
                <p
                  key={`${record.source}-${record.recordedAt}`}
                  className="muted route-excluded"
                  data-testid="route-excluded"
                >
                  {t("route.excluded", { detail: record.detail })}
                </p>
              ))}
            </div>
          </div>
          {isSlotViewCut ? (
            <p className="muted">
              {t("route.slots.limited", { days: MAX_SLOT_DAYS })}
            </p>
          ) : null}
          <TimeSlots
            slots={route.timeSlots}
            highlightedId={highlightedId}
            onHover={setHighlightedId}
            placeTitleOf={(stayId) => titles.get(stayId) ?? null}
          />
        </>
      )}
    </section>
  );
}

function mappedStaysOf(route: CaseRoute | null): MappedStay[] {
  if (route === null) return [];
  return [
    ...route.stays.map((stay) => ({
      id: stay.id,
      latitude: stay.latitude,
      longitude: stay.longitude,
      radiusMeters: stay.radiusMeters,
      confidenceLevel: stay.confidenceLevel,
      inConflict: stay.conflictsWith.length > 0,
    })),
    ...route.dateOnlyStays.map((stay) => ({
      id: stay.id,
      latitude: stay.latitude,
      longitude: stay.longitude,
      radiusMeters: stay.radiusMeters,
      confidenceLevel: stay.confidenceLevel,
      inConflict: false,
    })),
  ];
}
