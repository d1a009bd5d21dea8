import { useCallback, useEffect, useState, type FormEvent } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { seoulLocalToInstant } from "../i18n/format.js";
import { useI18n } from "../i18n/index.js";
import { analysisApi } from "./api.js";
import "./analysis.css";
import { formatDecimal, formatInterval, formatStayTime } from "./format.js";
import type {
  CaseContact,
  CaseContacts,
  ContactDecisionKind,
  ContactSearch,
} from "./types.js";

type Loaded =
  | { status: "loading" }
  | { status: "failed"; message: string }
  | { status: "ready"; value: CaseContacts };

interface ContactsPanelProps {
  caseId: string;
  canDecide: boolean;
}

/**
 * Renders the contacts of a case: the infectious period, the contacts with
 * their scores and the pairs of stays that explain them, and the
 * confirm and dismiss controls.
 */
export function ContactsPanel({ caseId, canDecide }: ContactsPanelProps) {
  const { t } = useI18n();
  const [search, setSearch] = useState<ContactSearch>({});
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });

  const load = useCallback(async () => {
    try {
      const value = await analysisApi.listContacts(caseId, search);
      setLoaded({ status: "ready", value });
    } catch (error) {
      setLoaded({ status: "failed", message: errorText(error) });
    }
  }, [caseId, search]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel contacts-panel" data-testid="contacts-panel">
      <div className="contacts-header">
        <h2>{t("contacts.title")}</h2>
        <span className="muted time-zone-note">{t("movements.timeZone")}</span>
      </div>
      <PeriodForm onApply={setSearch} />
      {loaded.status === "loading" ? (
        <p className="empty">{t("common.loading")}</p>
      ) : null}
      {loaded.status === "failed" ? (
        <ErrorMessage message={loaded.message} />
      ) : null}
      {loaded.status === "ready" ? (
        <ContactLists
          result={loaded.value}
          canDecide={canDecide}
          onDecided={() => void load()}
        />
      ) : null}
    </section>
  );
}

/** Renders the form that sets an infectious period in place of the one the case's dates fix. */
function PeriodForm({ onApply }: { onApply(search: ContactSearch): void }) {
  const { t } = useI18n();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fromInstant = seoulLocalToInstant(from);
    const toInstant = seoulLocalToInstant(to);
    if (fromInstant === null || toInstant === null) {
      setError(t("contacts.periodInvalid"));
      return;
    }
    setError(null);
    onApply({ from: fromInstant, to: toInstant });
  };
  const reset = () => {
    setFrom("");
    setTo("");
    setError(null);
    onApply({});
  };

  return (
    <form className="contacts-period-form" onSubmit={submit}>
      <label className="inline-field">
        {t("contacts.periodFrom")}
        <input
          type="datetime-local"
          name="periodFrom"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
      </label>
      <label className="inline-field">
        {t("contacts.periodTo")}
        <input
          type="datetime-local"
          name="periodTo"
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
      </label>
      <button type="submit">{t("contacts.periodApply")}</button>
      <button type="button" className="link-button" onClick={reset}>
        {t("contacts.periodDefault")}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}

interface ContactListsProps {
  result: CaseContacts;
  canDecide: boolean;
  onDecided(): void;
}

function ContactLists({ result, canDecide, onDecided }: ContactListsProps) {
  const { t, label, date, instant, number } = useI18n();
  const period = result.infectiousPeriod;
  const rows = { caseId: result.caseId, canDecide, onDecided };

  return (
    <>
      <p className="contacts-period" data-testid="contacts-period">
        {t("contacts.period", {
          from: instant(period.startsAt),
          to: instant(period.endsAt),
        })}{" "}
        <span className="muted">
          {period.isSetByCaller
            ? t("contacts.periodSet")
            : t("contacts.periodRule", {
                anchor: label("contacts.anchor", period.anchor),
                date: date(period.referenceDate),
              })}
        </span>
      </p>
      <p className="muted contacts-settings">
        {t("contacts.settings", {
          distance: number(result.contactDistanceMeters),
          minutes: number(result.minimumMinutes),
          radius: number(result.defaultRadiusMeters),
          stays: number(result.searchedStayCount),
        })}
      </p>

      <ContactTable
        title={t("contacts.group.contact")}
        contacts={result.contacts}
        testId="contacts-table"
        {...rows}
      />
      <ContactTable
        title={t("contacts.group.possible")}
        contacts={result.possibleContacts}
        testId="possible-contacts-table"
        {...rows}
      />
      <ContactTable
        title={t("contacts.group.day_level")}
        contacts={result.dayLevelContacts}
        testId="day-level-contacts-table"
        {...rows}
      />
      <p className="muted" data-testid="contacts-below-minimum">
        {t("contacts.belowMinimum", {
          count: number(result.belowMinimumCount),
          minutes: number(result.minimumMinutes),
        })}
      </p>
    </>
  );
}

interface ContactTableProps {
  title: string;
  contacts: readonly CaseContact[];
  caseId: string;
  canDecide: boolean;
  onDecided(): void;
  testId: string;
}

function ContactTable(props: ContactTableProps) {
  const { t } = useI18n();
  const [openId, setOpenId] = useState<string | null>(null);
  const { contacts, title } = props;

  return (
    <div className="contacts-group">
      <h3>
        {title} <span className="muted">({contacts.length})</span>
      </h3>
      {contacts.length === 0 ? (
        <p className="muted">{t("contacts.none")}</p>
      ) : (
        <table className="data-table contacts-table" data-testid={props.testId}>
          <thead>
            <tr>
              <th>{t("contacts.column.person")}</th>
              <th>{t("contacts.column.score")}</th>
              <th>{t("contacts.column.minutes")}</th>
              <th>{t("contacts.column.when")}</th>
              <th>{t("contacts.column.decision")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {contacts.map((contact) => (
              <ContactRow
                key={contact.person.id}
                contact={contact}
                open={openId === contact.person.id}
                onToggle={() =>
                  setOpenId((current) =>
                    current === contact.person.id ? null : contact.person.id,
                  )
                }
                {...props}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

interface ContactRowProps {
  contact: CaseContact;
  open: boolean;
  onToggle(): void;
  caseId: string;
  canDecide: boolean;
  onDecided(): void;
}

function ContactRow({ contact, open, onToggle, ...rest }: ContactRowProps) {
  const { t, locale, date, label } = useI18n();
  const minutes =
    contact.certainMinutes === null
      ? t("common.none")
      : contact.possibleMinutes !== null && contact.possibleMinutes > 0
        ? t("contacts.minutesPossible", {
            minutes: formatDecimal(contact.certainMinutes, locale),
            possible: formatDecimal(contact.possibleMinutes, locale),
          })
        : t("common.minutes", {
            minutes: formatDecimal(contact.certainMinutes, locale),
          });
  const when =
    contact.firstOverlapAt !== null && contact.lastOverlapAt !== null
      ? formatInterval(contact.firstOverlapAt, contact.lastOverlapAt, locale)
      : contact.dates.map((day) => date(day)).join(", ");
  const score =
    contact.score === null
      ? t("common.none")
      : contact.possibleScore !== null && contact.possibleScore > 0
        ? t("contacts.scorePossible", {
            score: formatDecimal(contact.score, locale),
            possible: formatDecimal(contact.possibleScore, locale),
          })
        : formatDecimal(contact.score, locale);

  return (
    <>
      <tr data-testid="contact-row" data-person-id={contact.person.id}>
        <td>
          <PersonName contact={contact} />
        </td>
        <td className="numeric">{score}</td>
        <td className="numeric">{minutes}</td>
        <td>{when}</td>
        <td>
          {contact.decision === null ? (
            <span className="muted">{t("contacts.undecided")}</span>
          ) : (
            <span
              className={`badge decision-${contact.decision.decision}`}
              title={contact.decision.reason}
            >
              {label("contacts.decision", contact.decision.decision)}
            </span>
          )}
        </td>
        <td>
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            data-testid="contact-explain"
            onClick={onToggle}
          >
            {open ? t("contacts.hide") : t("contacts.explain")}
          </button>
        </td>
      </tr>
      {open ? (
        <tr className="contact-detail-row">
          <td colSpan={6}>
            <ContactExplanation contact={contact} />
            <DecisionForm contact={contact} {...rest} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function PersonName({ contact }: { contact: CaseContact }) {
  const { t } = useI18n();
  const person = contact.person;
  return (
    <span className="contact-person">
      {person.case === null ? (
        <span>{person.label}</span>
      ) : (
        <Link to={`/cases/${encodeURIComponent(person.case.id)}`}>
          {person.label}
        </Link>
      )}
      {person.inJurisdiction ? null : (
        <span className="tag" title={t("contacts.outsideHint")}>
          {t("contacts.outside")}
        </span>
      )}
    </span>
  );
}

/** Lists the pairs of stays behind a contact: when and where each side was, and what the pair adds. */
function ContactExplanation({ contact }: { contact: CaseContact }) {
  const { t, locale, label, date, instant } = useI18n();
  const hidden = t("contacts.hiddenStay");
  return (
    <div className="contact-explanation" data-testid="contact-explanation">
      {contact.pairs.length > 0 ? (
        <table className="data-table pair-table">
          <thead>
            <tr>
              <th>{t("contacts.pair.caseStay")}</th>
              <th>{t("contacts.pair.contactStay")}</th>
              <th>{t("contacts.pair.overlap")}</th>
              <th>{t("contacts.pair.minutes")}</th>
              <th>{t("contacts.pair.distance")}</th>
              <th>{t("contacts.pair.weight")}</th>
            </tr>
          </thead>
          <tbody>
            {contact.pairs.map((pair) => (
              <tr
                key={`${pair.caseStay.id} ${pair.contactStay?.id ?? pair.overlapStartsAt}`}
                data-testid="contact-pair"
              >
                <td>
                  {label("source", pair.caseStay.source)} ·{" "}
                  {formatStayTime(pair.caseStay, locale)}
                </td>
                <td>
                  {pair.contactStay === null
                    ? hidden
                    : `${label("source", pair.contactStay.source)} · ${formatStayTime(pair.contactStay, locale)}`}
                </td>
                <td>
                  {formatInterval(
                    pair.overlapStartsAt,
                    pair.overlapEndsAt,
                    locale,
                  )}
                </td>
                <td className="numeric">
                  {t("contacts.minutesPossible", {
                    minutes: formatDecimal(pair.certainMinutes, locale),
                    possible: formatDecimal(pair.possibleMinutes, locale),
                  })}
                </td>
                <td className="numeric">
                  {t("contacts.meters", {
                    meters: formatDecimal(pair.distanceMeters, locale),
                  })}
                </td>
                <td className="numeric">{pair.proximityWeight}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {contact.dayLevelPairs.length > 0 ? (
        <table className="data-table pair-table">
          <thead>
            <tr>
              <th>{t("contacts.pair.date")}</th>
              <th>{t("contacts.pair.caseStay")}</th>
              <th>{t("contacts.pair.contactStay")}</th>
              <th>{t("contacts.pair.distance")}</th>
            </tr>
          </thead>
          <tbody>
            {contact.dayLevelPairs.map((pair) => (
              <tr
                key={`${pair.date} ${pair.caseStay.id} ${pair.contactStay?.id ?? ""}`}
                data-testid="contact-pair"
              >
                <td>{date(pair.date)}</td>
                <td>
                  {label("source", pair.caseStay.source)} ·{" "}
                  {formatStayTime(pair.caseStay, locale)} ±
                  {pair.caseStay.radiusMeters} m
                </td>
                <td>
                  {pair.contactStay === null
                    ? hidden
                    : `${label("source", pair.contactStay.source)} · ±${pair.contactStay.radiusMeters} m`}
                </td>
                <td className="numeric">
                  {t("contacts.meters", {
                    meters: formatDecimal(pair.distanceMeters, locale),
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {contact.decision === null ? null : (
        <p className="muted" data-testid="contact-decision">
          {t("contacts.decidedBy", {
            decision: label("contacts.decision", contact.decision.decision),
            name: contact.decision.decidedBy.displayName,
            when: instant(contact.decision.decidedAt),
            reason: contact.decision.reason,
          })}
        </p>
      )}
    </div>
  );
}

interface DecisionFormProps {
  contact: CaseContact;
  caseId: string;
  canDecide: boolean;
  onDecided(): void;
}

function DecisionForm({
  contact,
  caseId,
  canDecide,
  onDecided,
}: DecisionFormProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!canDecide) {
    return null;
  }

  const decide = async (decision: ContactDecisionKind) => {
    if (reason.trim() === "") {
      setError(t("contacts.reasonRequired"));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await analysisApi.decideContact(
        caseId,
        contact.person.id,
        decision,
        reason,
      );
      setReason("");
      onDecided();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="decision-form" data-testid="decision-form">
      <label className="inline-field">
        {t("contacts.reason")}
        <input
          type="text"
          name="reason"
          maxLength={2000}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      <button
        type="button"
        className="primary"
        disabled={saving}
        onClick={() => void decide("confirmed")}
      >
        {t("contacts.confirm")}
      </button>
      <button
        type="button"
        disabled={saving}
        onClick={() => void decide("dismissed")}
      >
        {t("contacts.dismiss")}
      </button>
      <ErrorMessage message={error} />
    </div>
  );
}
