import { useEffect, useState } from "react";

import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { exposureApi } from "./api.js";
import type { DataRequestDetail, ExposureSubscriber } from "./types.js";

/**
 * Renders the place of an exposure request and the subscribers the
 * operators listed, each with a button that links it to a person.
 */
export function ExposureSubscribersPanel({
  request,
  canLink,
}: {
  request: DataRequestDetail;
  canLink: boolean;
}) {
  const { t, instant, number } = useI18n();
  const [items, setItems] = useState<ExposureSubscriber[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const place = request.exposurePlace;

  useEffect(() => {
    const controller = new AbortController();
    exposureApi
      .listSubscribers(request.id, controller.signal)
      .then((result) => setItems(result.items))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [request.id, request.uploads.length]);

  const link = async (subscriberId: string) => {
    setError(null);
    try {
      const linked = await exposureApi.linkSubscriber(request.id, subscriberId);
      setItems((current) =>
        (current ?? []).map((item) => (item.id === linked.id ? linked : item)),
      );
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  if (place === null) {
    return null;
  }
  return (
    <section className="panel request-section" data-testid="exposure-panel">
      <h2>{t("exposureRequest.subscribers")}</h2>
      <p className="muted">
        {t("exposureRequest.placeSummary", {
          latitude: String(place.latitude),
          longitude: String(place.longitude),
          radius: number(place.radiusMeters),
          dwell: number(place.minDwellMinutes),
        })}
      </p>
      <ErrorMessage message={error} />
      {items === null || items.length === 0 ? (
        <p className="empty">{t("exposureRequest.noSubscribers")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t("requests.phoneNumber")}</th>
              <th>{t("exposureRequest.firstSeen")}</th>
              <th>{t("exposureRequest.lastSeen")}</th>
              <th>{t("requests.expiresAt")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="exposure-subscriber">
                <td className="mono">{item.phoneNumber ?? t("common.none")}</td>
                <td>{instant(item.firstSeenAt)}</td>
                <td>{instant(item.lastSeenAt)}</td>
                <td>{instant(item.expiresAt)}</td>
                <td>
                  {item.linkedPersonId !== null ? (
                    <span className="badge">{t("exposureRequest.linked")}</span>
                  ) : canLink ? (
                    <button type="button" onClick={() => void link(item.id)}>
                      {t("exposureRequest.link")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
