import { useI18n } from "../i18n/index.js";
import {
  placeTitleOf,
  seoulClock,
  type RouteDateOnlyStay,
  type RouteMove,
  type RouteStay,
} from "./route-api.js";

interface RouteTimelineProps {
  /** Timed stays by start. */
  stays: readonly RouteStay[];
  dateOnlyStays: readonly RouteDateOnlyStay[];
  moves: readonly RouteMove[];
  highlightedId: string | null;
  onHover(stayId: string | null): void;
}

type Entry =
  | { kind: "stay"; stay: RouteStay }
  | { kind: "move"; move: RouteMove }
  | { kind: "date-only"; stay: RouteDateOnlyStay };

/**
 * Renders the fused route in time order: each stay, then the move that
 * leaves it. Date-only stays come first on their day.
 */
export function RouteTimeline(props: RouteTimelineProps) {
  const entries = orderEntries(props);
  return (
    <ol className="route-timeline" data-testid="route-timeline">
      {entries.map((entry) => {
        if (entry.kind === "move") {
          return <MoveRow key={entry.move.id} move={entry.move} />;
        }
        const active = entry.stay.id === props.highlightedId;
        return (
          <li
            key={entry.stay.id}
            className={`route-stay${active ? " highlighted" : ""}`}
            data-testid="route-stay"
            data-stay-id={entry.stay.id}
            data-conflict={
              entry.kind === "stay" && entry.stay.conflictsWith.length > 0
                ? "true"
                : "false"
            }
            onMouseEnter={() => props.onHover(entry.stay.id)}
            onMouseLeave={() => props.onHover(null)}
          >
            {entry.kind === "stay" ? (
              <TimedStayBody stay={entry.stay} />
            ) : (
              <DateOnlyStayBody stay={entry.stay} />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function orderEntries(props: RouteTimelineProps): Entry[] {
  const movesFrom = new Map(props.moves.map((move) => [move.fromStayId, move]));
  const timed: { day: string; entries: Entry[] }[] = props.stays.map((stay) => {
    const move = movesFrom.get(stay.id);
    const entries: Entry[] = [{ kind: "stay", stay }];
    if (move !== undefined) entries.push({ kind: "move", move });
    return { day: seoulDay(stay.startedAt), entries };
  });
  const dateOnly = props.dateOnlyStays.map((stay) => ({
    day: stay.visitDate,
    entries: [{ kind: "date-only", stay } as Entry],
  }));
  // A stable sort keeps the stays' order within a day, date-only ones first.
  return [...dateOnly, ...timed]
    .sort((a, b) => a.day.localeCompare(b.day))
    .flatMap((group) => group.entries);
}

function seoulDay(instant: string): string {
  return new Date(Date.parse(instant) + 9 * 3_600_000)
    .toISOString()
    .slice(0, 10);
}

function TimedStayBody({ stay }: { stay: RouteStay }) {
  const { t, date } = useI18n();
  const possible = stay.finishedAt !== stay.lastFixAt;
  return (
    <div className="route-stay-body">
      <div className="route-stay-when">
        <time>
          {date(seoulDay(stay.startedAt))} {seoulClock(stay.startedAt)}–
          {seoulClock(stay.lastFixAt)}
        </time>
        {possible ? (
          <span className="muted">
            {" "}
            ({t("route.possibleEnd", { time: seoulClock(stay.finishedAt) })})
          </span>
        ) : null}
        {stay.timing === "estimated" ? (
          <span className="badge estimated">{t("route.estimated")}</span>
        ) : null}
      </div>
      <StayPlace stay={stay} />
      {stay.conflictsWith.length > 0 ? (
        <div className="route-conflict" data-testid="route-conflict">
          <span className="badge conflict">{t("route.conflict")}</span>{" "}
          {t("route.conflictWith", { stays: stay.conflictsWith.join(", ") })}
        </div>
      ) : null}
    </div>
  );
}

function DateOnlyStayBody({ stay }: { stay: RouteDateOnlyStay }) {
  const { t, date } = useI18n();
  return (
    <div className="route-stay-body">
      <div className="route-stay-when">
        <time>{date(stay.visitDate)}</time>
        <span className="badge">{t("route.dateOnly")}</span>
      </div>
      <StayPlace stay={stay} />
    </div>
  );
}

function StayPlace({ stay }: { stay: RouteStay | RouteDateOnlyStay }) {
  const { t, label, number } = useI18n();
  return (
    <>
      <div className="route-stay-place" data-testid="route-stay-place">
        {placeTitleOf(stay, label)}
      </div>
      <div className="route-stay-meta">
        <span
          className="route-sources"
          data-testid="route-stay-sources"
          data-sources={stay.sources.join(" ")}
        >
          {stay.sources.map((source) => (
            <span key={source} className={`tag source-${source}`}>
              {label("source", source)}
            </span>
          ))}
        </span>
        {stay.area === null ? null : <span className="area">{stay.area}</span>}
        <span className="radius">
          {t("movements.radius", {
            meters: number(Math.round(stay.radiusMeters)),
          })}
        </span>
        <span className={`confidence confidence-${stay.confidenceLevel}`}>
          {t("route.confidence", {
            percent: number(Math.round(stay.confidence * 100)),
          })}{" "}
          ({label("route.confidenceLevel", stay.confidenceLevel)})
        </span>
      </div>
    </>
  );
}

function MoveRow({ move }: { move: RouteMove }) {
  const { t, number } = useI18n();
  if (move.noData) {
    return (
      <li className="route-move route-gap" data-testid="route-gap">
        <span className="muted">
          {seoulClock(move.startedAt)}–{seoulClock(move.endedAt)}{" "}
          {t("route.noData")}
        </span>
      </li>
    );
  }
  const kilometres = move.distanceMeters >= 1000;
  const distance = kilometres
    ? `${number(Math.round(move.distanceMeters / 100) / 10)} km`
    : `${number(Math.round(move.distanceMeters))} m`;
  return (
    <li className="route-move" data-testid="route-move">
      <span className="muted">
        {seoulClock(move.startedAt)}–{seoulClock(move.endedAt)}{" "}
        {t("route.move", { distance })}
      </span>
    </li>
  );
}
