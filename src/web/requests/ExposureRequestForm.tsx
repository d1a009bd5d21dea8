import { useState, type FormEvent } from "react";

import { Field, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { requestApi } from "./api.js";
import {
  PurposeField,
  RequestFormFooter,
  WindowFields,
} from "./form-fields.js";
import type { DataRequestDetail, NewDataRequest } from "./types.js";
import { suggestedWindow } from "./window.js";

interface ExposureRequestFormProps {
  caseId: string;
  symptomOnsetDate: string | null;
  confirmedDate: string | null;
  onCreated(request: DataRequestDetail): void;
  onCancel(): void;
}

/**
 * Renders the form that asks the telecom operators who was at a place
 * during the window, and submits it to the police at once. Radius and
 * dwell left empty take the server's defaults.
 */
export function ExposureRequestForm(props: ExposureRequestFormProps) {
  const { caseId, onCreated, onCancel } = props;
  const { t } = useI18n();
  const widest = suggestedWindow(props.symptomOnsetDate, props.confirmedDate);
  const [fields, setFields] = useState({
    latitude: "",
    longitude: "",
    radiusMeters: "",
    minDwellMinutes: "",
    startDate: widest?.startDate ?? "",
    endDate: widest?.endDate ?? "",
    purpose: "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof fields, value: string) =>
    setFields((current) => ({ ...current, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const latitude = Number(fields.latitude);
    const longitude = Number(fields.longitude);
    if (fields.latitude === "" || fields.longitude === "") {
      setError(t("exposureRequest.placeMissing"));
      return;
    }
    if (fields.purpose.trim() === "") {
      setError(t("requests.purposeMissing"));
      return;
    }
    const input: NewDataRequest = {
      caseId,
      dataKinds: ["base_station"],
      windowStartDate: fields.startDate,
      windowEndDate: fields.endDate,
      purpose: fields.purpose.trim(),
      legalBasis: "76-2(2)",
      exposurePlace: {
        latitude,
        longitude,
        ...(fields.radiusMeters === ""
          ? {}
          : { radiusMeters: Number(fields.radiusMeters) }),
        ...(fields.minDwellMinutes === ""
          ? {}
          : { minDwellMinutes: Number(fields.minDwellMinutes) }),
      },
    };
    setBusy(true);
    setError(null);
    try {
      const created = await requestApi.createRequest(input);
      onCreated(await requestApi.submitRequest(created.id));
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  if (widest === null) {
    return <p className="message message-error">{t("requests.noWindow")}</p>;
  }
  const numberInput = (name: keyof typeof fields, step: string) =>
    function NumberInput(id: string) {
      return (
        <input
          id={id}
          name={name}
          type="number"
          step={step}
          value={fields[name]}
          onChange={(event) => set(name, event.target.value)}
        />
      );
    };
  return (
    <form
      className="form-grid request-form"
      data-testid="exposure-request-form"
      onSubmit={(event) => void submit(event)}
    >
      <p className="wide muted">{t("exposureRequest.intro")}</p>
      <Field label={t("exposureRequest.latitude")}>
        {numberInput("latitude", "any")}
      </Field>
      <Field label={t("exposureRequest.longitude")}>
        {numberInput("longitude", "any")}
      </Field>
      <Field
        label={t("exposureRequest.radius")}
        hint={t("exposureRequest.radiusHint")}
      >
        {numberInput("radiusMeters", "1")}
      </Field>
      <Field
        label={t("exposureRequest.dwell")}
        hint={t("exposureRequest.dwellHint")}
      >
        {numberInput("minDwellMinutes", "1")}
      </Field>
      <WindowFields
        earliestStart={widest.startDate}
        startDate={fields.startDate}
        endDate={fields.endDate}
        onStartChange={(value) => set("startDate", value)}
        onEndChange={(value) => set("endDate", value)}
      />
      <PurposeField
        value={fields.purpose}
        onChange={(value) => set("purpose", value)}
      />
      <RequestFormFooter
        error={error}
        busy={busy}
        onCancel={onCancel}
        submitTestId="exposure-create-submit"
      />
    </form>
  );
}
