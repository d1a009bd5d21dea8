import { useEffect, useState, type FormEvent } from "react";

import { ErrorMessage, SuccessMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { inboxApi } from "./api.js";
import {
  PartHeader,
  PartPlaceholder,
  useProviderPart,
} from "./ProviderPartPage.js";
import type { OrganisationRef, ProviderPart } from "./types.js";

/**
 * Renders the card association's view of one request: the part to pass
 * on, and the card companies to forward it to, each of which then answers
 * for its own cards.
 */
export function ForwardingPage({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  const { loaded, setPart } = useProviderPart(requestId);
  if (loaded.status !== "ready") {
    return <PartPlaceholder loaded={loaded} />;
  }
  const part = loaded.value;

  return (
    <div className="request-page" data-testid="forwarding-page">
      <PartHeader
        part={part}
        title={t("inbox.forwardTitleOf", {
          office: part.requestingOrganisation,
        })}
        offerForward={false}
        onChange={setPart}
      />
      {part.state === "sent" ? (
        <CompanyChoice part={part} onForwarded={setPart} />
      ) : null}
    </div>
  );
}

interface CompanyChoiceProps {
  part: ProviderPart;
  onForwarded(part: ProviderPart): void;
}

function CompanyChoice({ part, onForwarded }: CompanyChoiceProps) {
  const { t } = useI18n();
  const [companies, setCompanies] = useState<OrganisationRef[] | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    inboxApi
      .listCardCompanies(controller.signal)
      .then((result) => {
        setCompanies(result.items);
        setChosen(new Set(result.items.map((company) => company.id)));
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, []);

  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setChosen(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size === 0) {
      setError(t("inbox.companiesMissing"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const forwarded = await inboxApi.forward(part.requestId, [...chosen]);
      setDone(t("inbox.forwarded", { count: String(chosen.size) }));
      onForwarded(forwarded);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel request-section">
      <h2>{t("inbox.companies")}</h2>
      {companies === null ? (
        <p>{t("common.loading")}</p>
      ) : (
        <form
          data-testid="forward-form"
          onSubmit={(event) => void submit(event)}
        >
          <ul className="company-list">
            {companies.map((company) => (
              <li key={company.id}>
                <label>
                  <input
                    type="checkbox"
                    name="cardCompanyIds"
                    value={company.id}
                    checked={chosen.has(company.id)}
                    onChange={() => toggle(company.id)}
                  />{" "}
                  {company.name}
                </label>
              </li>
            ))}
          </ul>
          <button
            type="submit"
            className="primary"
            data-testid="forward-submit"
            disabled={busy}
          >
            {t("inbox.forward")}
          </button>
        </form>
      )}
      <ErrorMessage message={error} />
      <SuccessMessage message={done} />
    </section>
  );
}
