import { useCallback, useEffect, useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import { DataKinds, StateCells, WindowRange } from "./parts.js";
import { ExposureRequestForm } from "./ExposureRequestForm.js";
import { RequestForm } from "./RequestForm.js";
import { requestPath } from "./routes.js";
import type { DataRequestSummary } from "./types.js";
import "./requests.css";

interface CaseRequestsPanelProps {
  caseId: string;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  canCreate: boolean;
}

/** Renders a case's data requests with their states, and the form that writes a new one. */
export function CaseRequestsPanel(props: CaseRequestsPanelProps) {
  const { caseId, canCreate } = props;
  const { t, label } = useI18n();
  const [items, setItems] = useState<DataRequestSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [exposureOpen, setExposureOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      const page = await requestApi.listRequests({ caseId, pageSize: 100 });
      setItems(page.items);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="panel request-section" data-testid="case-requests">
      <div className="request-section-header">
        <h2>{t("requests.caseTitle")}</h2>
        <span className="muted time-zone-note">{t("requests.timeZone")}</span>
        {canCreate && !formOpen ? (
          <button
            type="button"
            className="primary"
            data-testid="request-new"
            onClick={() => {
              setNotice(null);
              setFormOpen(true);
            }}
          >
            {t("requests.new")}
          </button>
        ) : null}
        {canCreate && !exposureOpen ? (
          <button
            type="button"
            data-testid="exposure-new"
            onClick={() => {
              setNotice(null);
              setExposureOpen(true);
            }}
          >
            {t("exposureRequest.new")}
          </button>
        ) : null}
      </div>
      <ErrorMessage message={error} />
      <SuccessMessage message={notice} />
      {formOpen ? (
        <RequestForm
          caseId={caseId}
          symptomOnsetDate={props.symptomOnsetDate}
          confirmedDate={props.confirmedDate}
          onCancel={() => setFormOpen(false)}
          onCreated={(created) => {
            setFormOpen(false);
            setNotice(
              t("requests.created", {
                state: label("requestState", created.state),
              }),
            );
            void load();
          }}
        />
      ) : null}
      {exposureOpen ? (
        <ExposureRequestForm
          caseId={caseId}
          symptomOnsetDate={props.symptomOnsetDate}
          confirmedDate={props.confirmedDate}
          onCancel={() => setExposureOpen(false)}
          onCreated={(created) => {
            setExposureOpen(false);
            setNotice(
              t("requests.created", {
                state: label("requestState", created.state),
              }),
            );
            void load();
          }}
        />
      ) : null}
      {items === null ? null : items.length === 0 ? (
        <p className="empty">{t("requests.caseEmpty")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("requests.dataKinds")}</th>
              <th>{t("requests.window")}</th>
              <th>{t("requests.state")}</th>
              <th>{t("requests.deadline")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr
                key={item.id}
                data-testid="case-request-row"
                data-request-id={item.id}
              >
                <td>
                  <DataKinds kinds={item.dataKinds} />
                </td>
                <td>
                  <WindowRange window={item.window} />
                </td>
                <StateCells fields={item} />
                <td>
                  <Link to={requestPath(item.id)}>{t("requests.open")}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
