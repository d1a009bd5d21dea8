import {
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";

import { ContactsPanel } from "../analysis/ContactsPanel.js";
import { api, ApiError, type CaseDetail, type Movement } from "../api/index.js";
import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { movementDays } from "../i18n/format.js";
import { useI18n } from "../i18n/index.js";
import { MovementMap } from "../map/MovementMap.js";
import { CaseRequestsPanel } from "../requests/CaseRequestsPanel.js";
import { can, useUser } from "../session/session.js";
import { CaseUploads } from "../uploads/CaseUploads.js";
import { CaseEditForm } from "./CaseEditForm.js";
import { CaseHeader } from "./CaseHeader.js";
import { CaseRoutePanel } from "./CaseRoutePanel.js";
import { ExportDialog } from "./ExportDialog.js";
import { Timeline } from "./Timeline.js";
import { VisitForm } from "./VisitForm.js";

type Loaded<T> =
  | { status: "loading" }
  | { status: "notFound" }
  | { status: "failed"; message: string }
  | { status: "ready"; value: T };

/** Renders one case: its header, the map and timeline of its movements, and the edit forms. */
export function CasePage({ caseId }: { caseId: string }) {
  const { t } = useI18n();
  const user = useUser();
  const [detail, setDetail] = useState<Loaded<CaseDetail>>({
    status: "loading",
  });
  const [movements, setMovements] = useState<Loaded<Movement[]>>({
    status: "loading",
  });
  const canViewMovements = can(user, "movement.view");

  const loadMovements = useCallback(async () => {
    try {
      const result = await api.listMovements(caseId);
      setMovements({ status: "ready", value: result.items });
    } catch (error) {
      setMovements({ status: "failed", message: errorText(error) });
    }
  }, [caseId]);

  useEffect(() => {
    let active = true;
    // Movements are requested only once the case itself was returned, so a
    // case outside the jurisdiction costs one rejected request, not two.
    api
      .getCase(caseId)
      .then((value) => {
        if (!active) return;
        setDetail({ status: "ready", value });
        if (canViewMovements) void loadMovements();
      })
      .catch((error: unknown) => {
        if (!active) return;
        const missing = error instanceof ApiError && error.status === 404;
        setDetail(
          missing
            ? { status: "notFound" }
            : { status: "failed", message: errorText(error) },
        );
      });
    return () => {
      active = false;
    };
  }, [caseId, canViewMovements, loadMovements]);

  if (detail.status === "loading") {
    return <p className="page-message">{t("common.loading")}</p>;
  }
  if (detail.status === "notFound") {
    return (
      <div className="page-message" data-testid="case-not-found">
        <p>{t("case.notFound")}</p>
        <Link to="/cases">{t("case.back")}</Link>
      </div>
    );
  }
  if (detail.status === "failed") {
    return <ErrorMessage message={detail.message} />;
  }

  const setCase = (value: CaseDetail) => setDetail({ status: "ready", value });
  const editForm = can(user, "case.update") ? (
    <CaseEditForm
      key={JSON.stringify(detail.value)}
      detail={detail.value}
      onSaved={setCase}
    />
  ) : null;
  return (
    <div className="case-page">
      <CaseHeader
        detail={detail.value}
        canUpdate={can(user, "case.update")}
        onChange={setCase}
      />
      {can(user, "case.export") ? <ExportDialog caseId={caseId} /> : null}
      {canViewMovements ? (
        <CaseMovements
          caseId={caseId}
          movements={movements}
          canAddVisit={can(user, "visit.create")}
          onVisitAdded={() => void loadMovements()}
          besideVisitForm={editForm}
        />
      ) : (
        editForm
      )}
      {canViewMovements ? (
        <CaseRoutePanel
          caseId={caseId}
          reloadKey={movements.status === "ready" ? movements.value.length : 0}
        />
      ) : null}
      {can(user, "upload.create") ? (
        <CaseUploads caseId={caseId} onImported={() => void loadMovements()} />
      ) : null}
      {can(user, "contact.view") ? (
        <ContactsPanel
          caseId={caseId}
          canDecide={can(user, "contact.decide")}
        />
      ) : null}
      {can(user, "request.view") ? (
        <CaseRequestsPanel
          caseId={caseId}
          symptomOnsetDate={detail.value.symptomOnsetDate}
          confirmedDate={detail.value.confirmedDate}
          canCreate={can(user, "request.create")}
        />
      ) : null}
    </div>
  );
}

interface CaseMovementsProps {
  caseId: string;
  movements: Loaded<Movement[]>;
  canAddVisit: boolean;
  onVisitAdded(): void;
  /** Rendered next to the visit form, in the same row. */
  besideVisitForm: ReactNode;
}

function CaseMovements(props: CaseMovementsProps) {
  const { caseId, movements, canAddVisit, onVisitAdded, besideVisitForm } =
    props;
  const { t, date, number } = useI18n();
  const [day, setDay] = useState("");
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<{
    latitude: number;
    longitude: number;
  } | null>(null);

  const all = useMemo(
    () => (movements.status === "ready" ? movements.value : []),
    [movements],
  );
  const ordinals = useMemo(
    () => new Map(all.map((movement, index) => [movement.id, index + 1])),
    [all],
  );
  const days = useMemo(() => countByDay(all), [all]);
  const shown = useMemo(
    () =>
      day === ""
        ? all
        : all.filter((movement) => movementDays(movement).includes(day)),
    [all, day],
  );

  const select = (movementId: string) =>
    setSelectedId((current) => (current === movementId ? null : movementId));

  return (
    <>
      <section className="movements">
        <div className="movements-toolbar">
          <h2>{t("movements.title")}</h2>
          <label className="inline-field">
            {t("movements.day")}
            <select
              data-testid="day-filter"
              value={day}
              onChange={(event) => {
                setDay(event.target.value);
                setSelectedId(null);
              }}
            >
              <option value="">{t("movements.allDays")}</option>
              {days.map(([value, count]) => (
                <option key={value} value={value}>
                  {t("movements.dayOption", {
                    date: date(value),
                    count: number(count),
                  })}
                </option>
              ))}
            </select>
          </label>
          <span className="muted" data-testid="movement-count">
            {t("movements.count", {
              shown: number(shown.length),
              total: number(all.length),
            })}
          </span>
          <span className="muted time-zone-note">
            {t("movements.timeZone")}
          </span>
        </div>
        {movements.status === "failed" ? (
          <ErrorMessage message={movements.message} />
        ) : null}
        <div className="movements-body">
          <MovementMap
            movements={shown}
            ordinals={ordinals}
            highlightedId={hoveredId}
            selectedId={selectedId}
            onHover={setHoveredId}
            onSelect={select}
            onPick={picking ? setPicked : undefined}
          />
          <div className="timeline-panel">
            {movements.status === "loading" ? (
              <p className="empty">{t("common.loading")}</p>
            ) : null}
            {movements.status === "ready" && shown.length === 0 ? (
              <p className="empty">
                {all.length === 0
                  ? t("movements.empty")
                  : t("movements.emptyDay")}
              </p>
            ) : null}
            <Timeline
              movements={shown}
              ordinals={ordinals}
              highlightedId={hoveredId}
              selectedId={selectedId}
              onHover={setHoveredId}
              onSelect={select}
            />
          </div>
        </div>
      </section>
      <div className="case-forms">
        {canAddVisit ? (
          <VisitForm
            caseId={caseId}
            picking={picking}
            onPickingChange={setPicking}
            pickedPosition={picked}
            onAdded={onVisitAdded}
          />
        ) : null}
        {besideVisitForm}
      </div>
    </>
  );
}

/** Returns each Seoul day that has a movement, in order, with its movement count. */
function countByDay(movements: readonly Movement[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const movement of movements) {
    for (const day of movementDays(movement)) {
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}
