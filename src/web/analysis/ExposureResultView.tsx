import { Link } from "../app/router.js";
import { useI18n } from "../i18n/index.js";
import { formatDecimal, formatInterval } from "./format.js";
import type { ExposureResult, PersonRef } from "./types.js";

function PersonLabel({ person }: { person: PersonRef }) {
  return person.case === null ? (
    <span>{person.label}</span>
  ) : (
    <Link to={`/cases/${encodeURIComponent(person.case.id)}`}>
      {person.label}
    </Link>
  );
}

/** Renders the persons present, the day-level visits and the counts of looser settings. */
export function ExposureResultView({ result }: { result: ExposureResult }) {
  const { t, number, locale, date } = useI18n();
  const windowsText = result.windows
    .map((window) => formatInterval(window.from, window.to, locale))
    .join(", ");
  return (
    <div className="exposure-result" data-testid="exposure-result">
      <p>
        {result.radiusMeters === null
          ? t("exposure.summaryPolygon", {
              count: number(result.persons.length),
              minutes: number(result.minimumDwellMinutes),
              window: windowsText,
            })
          : t("exposure.summary", {
              count: number(result.persons.length),
              radius: number(result.radiusMeters),
              minutes: number(result.minimumDwellMinutes),
              window: windowsText,
            })}
      </p>
      {result.persons.length === 0 ? (
        <p className="muted">
          {result.dayLevelPersons.length === 0
            ? t("exposure.none")
            : t("exposure.noneTimed", {
                count: number(result.dayLevelPersons.length),
              })}
        </p>
      ) : (
        <table className="data-table" data-testid="exposure-table">
          <thead>
            <tr>
              <th>{t("exposure.column.person")}</th>
              <th>{t("exposure.column.minutes")}</th>
              <th>{t("exposure.column.when")}</th>
            </tr>
          </thead>
          <tbody>
            {result.persons.map((entry) => (
              <tr key={entry.person.id} data-testid="exposure-row">
                <td>
                  <PersonLabel person={entry.person} />
                </td>
                <td className="numeric">
                  {t("contacts.minutesPossible", {
                    minutes: formatDecimal(entry.minutes, locale),
                    possible: formatDecimal(entry.possibleMinutes, locale),
                  })}
                </td>
                <td>
                  {formatInterval(entry.firstSeenAt, entry.lastSeenAt, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.dayLevelPersons.length === 0 ? null : (
        <>
          <h3>{t("exposure.dayLevel")}</h3>
          <ul className="plain-list">
            {result.dayLevelPersons.map((entry) => (
              <li key={entry.person.id}>
                <PersonLabel person={entry.person} /> ·{" "}
                {entry.dates.map((day) => date(day)).join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t("exposure.looser")}</h3>
      <table className="data-table" data-testid="looser-table">
        <thead>
          <tr>
            <th>{t("exposure.radius")}</th>
            <th>{t("exposure.minDwell")}</th>
            <th>{t("exposure.column.found")}</th>
            <th>{t("exposure.column.added")}</th>
          </tr>
        </thead>
        <tbody>
          {result.looserSettings.map((setting) => (
            <tr
              key={`${setting.radiusMeters ?? "polygon"} ${setting.minimumDwellMinutes}`}
            >
              <td className="numeric">
                {setting.radiusMeters === null
                  ? t("common.none")
                  : number(setting.radiusMeters)}
              </td>
              <td className="numeric">{number(setting.minimumDwellMinutes)}</td>
              <td className="numeric">{number(setting.personCount)}</td>
              <td className="numeric">+{number(setting.addedCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
