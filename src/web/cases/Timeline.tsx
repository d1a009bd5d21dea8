import { useEffect, useRef } from "react";

import type { Movement } from "../api/types.js";
import { useI18n } from "../i18n/index.js";
import { hasPosition } from "../map/movement-features.js";

interface TimelineProps {
  /** Movements in time order. */
  movements: readonly Movement[];
  ordinals: ReadonlyMap<string, number>;
  highlightedId: string | null;
  selectedId: string | null;
  onHover(movementId: string | null): void;
  onSelect(movementId: string): void;
}

/** Renders the movements in time order, one row each. */
export function Timeline(props: TimelineProps) {
  const rows = useRef(new Map<string, HTMLLIElement>());

  // A selection made on the map scrolls its row into view.
  useEffect(() => {
    if (props.selectedId === null) return;
    rows.current.get(props.selectedId)?.scrollIntoView({ block: "nearest" });
  }, [props.selectedId]);

  return (
    <ol className="timeline" data-testid="timeline">
      {props.movements.map((movement) => {
        const active =
          movement.id === (props.highlightedId ?? props.selectedId);
        const classes = ["timeline-item"];
        if (active) classes.push("highlighted");
        if (movement.id === props.selectedId) classes.push("selected");

        return (
          <li
            key={movement.id}
            ref={(element) => {
              if (element === null) rows.current.delete(movement.id);
              else rows.current.set(movement.id, element);
            }}
            className={classes.join(" ")}
            data-testid="timeline-item"
            data-movement-id={movement.id}
            aria-current={movement.id === props.selectedId ? "true" : undefined}
            onMouseEnter={() => props.onHover(movement.id)}
            onMouseLeave={() => props.onHover(null)}
            onClick={() => props.onSelect(movement.id)}
          >
            <span className="ordinal">
              {props.ordinals.get(movement.id) ?? ""}
            </span>
            <MovementSummary movement={movement} />
          </li>
        );
      })}
    </ol>
  );
}

function MovementSummary({ movement }: { movement: Movement }) {
  const { t, label, movementTime, number } = useI18n();
  const placeTypes = movement.placeTypes.map((type) =>
    label("placeType", type),
  );
  // Without a place name the types are the title, so they are not repeated as tags.
  const title =
    movement.placeName ?? (placeTypes.join(", ") || t("common.none"));
  const tags = movement.placeName === null ? [] : placeTypes;
  const place = areaName(movement) ?? movement.address;

  return (
    <div className="timeline-body">
      <div className="timeline-when">
        <time>{movementTime(movement)}</time>
        {movement.dwellMinutes === null ? null : (
          <span className="dwell">{formatDwell(movement.dwellMinutes, t)}</span>
        )}
      </div>
      <div className="timeline-place">{title}</div>
      <div className="timeline-meta">
        {tags.map((type) => (
          <span key={type} className="tag">
            {type}
          </span>
        ))}
        {place === null ? null : <span className="area">{place}</span>}
        <span className="source">
          {label("source", movement.sourceKind)}
          {movement.type === "stay" ? ` · ${t("movements.type.stay")}` : ""}
        </span>
        {movement.radiusMeters === null ? null : (
          <span className="radius">
            {t("movements.radius", {
              meters: number(Math.round(movement.radiusMeters)),
            })}
          </span>
        )}
        {hasPosition(movement) ? null : (
          <span className="badge no-position">{t("movements.noPosition")}</span>
        )}
        {movement.flags.map((flag) => (
          <span key={flag} className={`badge flag flag-${flag}`}>
            {label("flag", flag)}
          </span>
        ))}
      </div>
    </div>
  );
}

function areaName(movement: Movement): string | null {
  const area = movement.area;
  if (area === null) return null;
  const parts = [
    area.provinceName,
    area.municipalityName,
    area.submunicipalityName,
  ].filter((part): part is string => part !== null && part !== "");
  return parts.length === 0 ? null : parts.join(" ");
}

function formatDwell(
  minutes: number,
  t: ReturnType<typeof useI18n>["t"],
): string {
  const whole = Math.round(minutes);
  if (whole < 60) return t("common.minutes", { minutes: whole });
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0
    ? t("common.hours", { hours })
    : t("common.hoursMinutes", { hours, minutes: rest });
}
