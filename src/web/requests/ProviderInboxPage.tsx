import { useEffect, useState } from "react";

import { Link } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { can, useUser } from "../session/session.js";
import { inboxApi } from "./api.js";
import { DataKinds, ResultCount, StateCells, WindowRange } from "./parts.js";
import { forwardingPath, inboxPartPath } from "./routes.js";
import type { ProviderPart } from "./types.js";

/**
 * Renders a provider's queue: the parts of requests addressed to its
 * organisation that wait for an answer, with only what answering needs.
 */
export function ProviderInboxPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<ProviderPart[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    inboxApi
      .listParts(controller.signal)
      .then((result) => setItems(result.items))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, []);

  return (
    <div className="provider-inbox" data-testid="provider-inbox">
      <div className="page-header">
        <h1>{t("inbox.title")}</h1>
        <span className="muted time-zone-note">{t("requests.timeZone")}</span>
      </div>
      <p className="muted">{t("inbox.intro")}</p>
      <div className="filter-bar">
        <ResultCount
          total={items === null ? null : items.length}
          testId="inbox-total"
        />
      </div>
      <ErrorMessage message={error} />
      {items === null ? null : items.length === 0 ? (
        <p className="empty panel">{t("inbox.empty")}</p>
      ) : (
        <InboxTable items={items} />
      )}
    </div>
  );
}

function InboxTable({ items }: { items: readonly ProviderPart[] }) {
  const { t } = useI18n();
  const user = useUser();
  const forwards = can(user, "provider.forward");
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>{t("requests.organisation")}</th>
          <th>{t("requests.dataKinds")}</th>
          <th>{t("inbox.identifier")}</th>
          <th>{t("requests.window")}</th>
          <th>{t("requests.state")}</th>
          <th>{t("requests.deadline")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr
            key={item.partId}
            data-testid="inbox-row"
            data-request-id={item.requestId}
            className={item.overdue ? "overdue" : undefined}
          >
            <td>{item.requestingOrganisation}</td>
            <td>
              <DataKinds kinds={item.dataKinds} />
            </td>
            <td className="mono">
              {item.identifier.value ?? t("common.none")}
            </td>
            <td>
              <WindowRange window={item.window} />
            </td>
            <StateCells fields={item} />
            <td>
              <Link
                to={
                  forwards
                    ? forwardingPath(item.requestId)
                    : inboxPartPath(item.requestId)
                }
              >
                {forwards ? t("inbox.forward") : t("inbox.answer")}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
