import { useState, type FormEvent } from "react";

import { Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import {
  PurposeField,
  RequestFormFooter,
  WindowFields,
} from "./form-fields.js";
import {
  DATA_KINDS,
  type DataKind,
  type DataRequestDetail,
  type LegalBasis,
  type NewDataRequest,
} from "./types.js";
import {
  legalBasisFor,
  needsCardHolder,
  needsPhoneNumber,
  suggestedWindow,
} from "./window.js";

interface RequestFormProps {
  caseId: string;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  /** Called with the stored request, after its submission when the user chose to submit. */
  onCreated(request: DataRequestDetail): void;
  onCancel(): void;
}

interface Draft {
  kinds: DataKind[];
  phoneNumber: string;
  cardHolder: string;
  startDate: string;
  endDate: string;
  purpose: string;
  legalBasis: LegalBasis;
}

/**
 * Renders the form that writes a data request for a case, and either keeps
 * it as a draft or submits it at once.
 */
export function RequestForm(props: RequestFormProps) {
  const { caseId, onCreated, onCancel } = props;
  const { t, label, date } = useI18n();
  const widest = suggestedWindow(props.symptomOnsetDate, props.confirmedDate);
  const [draft, setDraft] = useState<Draft>(() => ({
    kinds: ["base_station"],
    phoneNumber: "",
    cardHolder: "",
    startDate: widest?.startDate ?? "",
    endDate: widest?.endDate ?? "",
    purpose: "",
    legalBasis: "76-2(2)",
  }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (change: Partial<Draft>) =>
    setDraft((current) => ({ ...current, ...change }));
  const toggleKind = (kind: DataKind, checked: boolean) =>
    setDraft((current) => {
      const kinds = DATA_KINDS.filter((value) =>
        value === kind ? checked : current.kinds.includes(value),
      );
      return { ...current, kinds, legalBasis: legalBasisFor(kinds) };
    });

  const save = async (submitNow: boolean) => {
    setError(null);
    const input = inputOf(caseId, draft);
    if (typeof input === "string") {
      setError(t(input));
      return;
    }
    setBusy(true);
    try {
      const created = await requestApi.createRequest(input);
      onCreated(
        submitNow ? await requestApi.submitRequest(created.id) : created,
      );
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };

  if (widest === null) {
    return <p className="message message-error">{t("requests.noWindow")}</p>;
  }
  return (
    <form
      className="form-grid request-form"
      data-testid="request-form"
      onSubmit={onSubmit}
    >
      <fieldset className="wide">
        <legend>{t("requests.dataKinds")}</legend>
        {DATA_KINDS.map((kind) => (
          <label key={kind} className="radio">
            <input
              type="checkbox"
              name="dataKinds"
              value={kind}
              checked={draft.kinds.includes(kind)}
              onChange={(event) => toggleKind(kind, event.target.checked)}
            />
            {label("dataKind", kind)}
          </label>
        ))}
      </fieldset>
      {needsPhoneNumber(draft.kinds) ? (
        <Field label={t("requests.phoneNumber")}>
          {(id) => (
            <input
              id={id}
              name="phoneNumber"
              inputMode="tel"
              maxLength={32}
              placeholder="010-0000-0000"
              value={draft.phoneNumber}
              onChange={(event) => set({ phoneNumber: event.target.value })}
            />
          )}
        </Field>
      ) : null}
      {needsCardHolder(draft.kinds) ? (
        <Field label={t("requests.cardHolder")}>
          {(id) => (
            <input
              id={id}
              name="cardHolder"
              maxLength={100}
              value={draft.cardHolder}
              onChange={(event) => set({ cardHolder: event.target.value })}
            />
          )}
        </Field>
      ) : null}
      <WindowFields
        earliestStart={widest.startDate}
        startDate={draft.startDate}
        endDate={draft.endDate}
        startHint={t("requests.windowEarliest", {
          date: date(widest.startDate),
        })}
        endHint={t("requests.windowLatest")}
        onStartChange={(value) => set({ startDate: value })}
        onEndChange={(value) => set({ endDate: value })}
      />
      <Field label={t("requests.legalBasis")}>
        {(id) => (
          <select
            id={id}
            name="legalBasis"
            value={draft.legalBasis}
            onChange={(event) =>
              set({ legalBasis: event.target.value as LegalBasis })
            }
          >
            <option value="76-2(1)">{label("legalBasis", "76-2(1)")}</option>
            <option value="76-2(2)">{label("legalBasis", "76-2(2)")}</option>
          </select>
        )}
      </Field>
      <PurposeField
        value={draft.purpose}
        onChange={(value) => set({ purpose: value })}
      />
      <RequestFormFooter
        error={error}
        busy={busy}
        onCancel={onCancel}
        submitTestId="request-create-submit"
      >
        <button
          type="button"
          data-testid="request-save-draft"
          disabled={busy}
          onClick={() => void save(false)}
        >
          {t("requests.saveDraft")}
        </button>
      </RequestFormFooter>
    </form>
  );
}

type InputProblem =
  | "requests.kindsMissing"
  | "requests.phoneMissing"
  | "requests.cardHolderMissing"
  | "requests.windowMissing"
  | "requests.purposeMissing";

/** Builds the request body from the form, or returns the message key of what is missing. */
function inputOf(caseId: string, draft: Draft): NewDataRequest | InputProblem {
  if (draft.kinds.length === 0) return "requests.kindsMissing";
  const phoneNumber = draft.phoneNumber.trim();
  const cardHolder = draft.cardHolder.trim();
  if (needsPhoneNumber(draft.kinds) && phoneNumber === "") {
    return "requests.phoneMissing";
  }
  if (needsCardHolder(draft.kinds) && cardHolder === "") {
    return "requests.cardHolderMissing";
  }
  if (draft.startDate === "" || draft.endDate === "") {
    return "requests.windowMissing";
  }
  const purpose = draft.purpose.trim();
  if (purpose === "") return "requests.purposeMissing";

  const input: NewDataRequest = {
    caseId,
    dataKinds: draft.kinds,
    windowStartDate: draft.startDate,
    windowEndDate: draft.endDate,
    purpose,
    legalBasis: draft.legalBasis,
  };
  if (needsPhoneNumber(draft.kinds)) input.phoneNumber = phoneNumber;
  if (needsCardHolder(draft.kinds)) input.cardHolder = cardHolder;
  return input;
}
