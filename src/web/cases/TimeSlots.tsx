import { useI18n } from "../i18n/index.js";
import type { RouteTimeSlot } from "./route-api.js";

interface TimeSlotsProps {
  /** Hourly slots in time order, on Seoul hour boundaries. */
  slots: readonly RouteTimeSlot[];
  highlightedId: string | null;
  onHover(stayId: string | null): void;
  /** Name of a stay's place by its id, as the route timeline shows it. */
  placeTitleOf(stayId: string): string | null;
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** Renders the hourly view of a route: one row per Seoul day, one cell per hour. */
export function TimeSlots(props: TimeSlotsProps) {
  const { slots, highlightedId, onHover } = props;
  const { t, date, label } = useI18n();
  const days = groupByDay(slots);

  return (
    <div className="time-slots" data-testid="time-slots">
      <h3>{t("route.slots.title")}</h3>
      <table>
        <thead>
          <tr>
            <th />
            {HOURS.map((hour) => (
              <th key={hour} scope="col">
                {hour}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map(([day, daySlots]) => (
            <tr key={day}>
              <th scope="row">{date(day)}</th>
              {HOURS.map((hour) => {
                const slot = daySlots.get(hour);
                if (slot === undefined) return <td key={hour} />;
                const active =
                  slot.stayId !== null && slot.stayId === highlightedId;
                const status = label("route.slots.status", slot.status);
                const title = [
                  t("route.slots.hour", { hour }),
                  (slot.stayId === null
                    ? null
                    : props.placeTitleOf(slot.stayId)) ?? status,
                  slot.sources.map((s) => label("source", s)).join(", "),
                ]
                  .filter((part) => part !== "")
                  .join(" · ");
                return (
                  <td
                    key={hour}
                    className={`slot slot-${slot.status}${active ? " highlighted" : ""}`}
                    data-testid="time-slot"
                    data-status={slot.status}
                    data-stay-id={slot.stayId ?? ""}
                    data-hour={hour}
                    title={title}
                    onMouseEnter={() => onHover(slot.stayId)}
                    onMouseLeave={() => onHover(null)}
                  >
                    <span className="visually-hidden">{title}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Groups slots by Seoul day and hour. */
function groupByDay(
  slots: readonly RouteTimeSlot[],
): [string, Map<number, RouteTimeSlot>][] {
  const days = new Map<string, Map<number, RouteTimeSlot>>();
  for (const slot of slots) {
    const seoul = new Date(Date.parse(slot.startsAt) + 9 * 3_600_000);
    const day = seoul.toISOString().slice(0, 10);
    const hours = days.get(day) ?? new Map<number, RouteTimeSlot>();
    hours.set(seoul.getUTCHours(), slot);
    days.set(day, hours);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
}
