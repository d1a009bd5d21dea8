import { randomUUID } from "node:crypto";

import type { Transaction } from "kysely";

import { withCaseAccess } from "../access/index.js";
import { AppError, notFound } from "../errors.js";
import { sealRequestIdentifiers } from "../privacy/index.js";
import type {
  Case,
  DataKind,
  DataRequest,
  Database,
  OrganisationKind,
} from "../store/index.js";
import { userStep, type RequestContext } from "./context.js";
import {
  identifierOf,
  isDataKind,
  isLegalBasis,
  legalBasisOf,
  providerKindOf,
  type LegalBasis,
} from "./data-kinds.js";
import { loadRequestDetails, type DataRequestDetails } from "./details.js";
import { normaliseCardHolder, normalisePhoneNumber } from "./identifiers.js";
import {
  checkExposurePlace,
  type ExposurePlaceInput,
} from "./exposure-place.js";
import { recordRequestCreation, requestDeadline } from "./ledger.js";
import type { RequestSettings } from "./settings.js";
import { checkWindow, widestWindowOf, type RequestWindow } from "./window.js";

export interface NewDataRequest {
  caseId: string;
  dataKinds: readonly string[];
  /** Needed for base-station, GPS and check-in data. */
  phoneNumber?: string;
  /** Needed for card data. */
  cardHolder?: string;
  /** Seoul days, both inclusive. */
  windowStartDate: string;
  windowEndDate: string;
  purpose: string;
  /** Article of the Infectious Disease Control and Prevention Act: `76-2(1)` or `76-2(2)`. */
  legalBasis: string;
  /**
   * Organisations to ask. Default: every telecom operator for phone data,
   * and the card association for card data.
   */
  providerOrganisationIds?: readonly string[];
  /**
   * Makes the request an exposure request: the operators list the
   * subscribers present at the place in the window, in place of one
   * person's data. It takes no phone number.
   */
  exposurePlace?: ExposurePlaceInput;
}

/** The checked form of a new request. */
interface CheckedRequest {
  dataKinds: DataKind[];
  legalBasis: LegalBasis;
  phoneNumber: string | null;
  cardHolder: string | null;
  purpose: string;
  /** The place of an exposure request as stored, JSON, or null. */
  exposurePlace: string | null;
}

const MAX_PURPOSE_LENGTH = 2000;

/**
 * Creates a data request in `draft` for the person of a case of the
 * caller's jurisdiction. Its window must lie inside the widest window the
 * settings allow for the case.
 */
export function createDataRequest(
  context: RequestContext,
  input: NewDataRequest,
  now: number = Date.now(),
): Promise<DataRequestDetails> {
  const checked = checkNewRequest(input, context.settings);

  return withCaseAccess(
    context,
    {
      action: "request.create",
      caseId: input.caseId,
      purpose: checked.purpose,
    },
    (kase) =>
      context.db.transaction().execute(async (trx) => {
        const window = {
          startDate: input.windowStartDate,
          endDate: input.windowEndDate,
        };
        checkWindow(
          window,
          widestWindowOf(kase, context.settings, now),
          context.settings,
        );
        const providerIds = await resolveProviders(
          trx,
          checked.dataKinds,
          input.providerOrganisationIds,
        );

        const request = newRequestRow(
          context,
          kase,
          { ...checked, window, providerIds },
          now,
        );
        await trx.insertInto("data_requests").values(request).execute();
        await recordRequestCreation(userStep(context, trx, now), request);
        return loadRequestDetails(trx, context.keys, request);
      }),
  );
}

function checkNewRequest(
  input: NewDataRequest,
  settings: RequestSettings,
): CheckedRequest {
  const dataKinds = checkDataKinds(input.dataKinds);
  const legalBasis = checkLegalBasis(input.legalBasis, dataKinds);
  const place =
    input.exposurePlace === undefined
      ? null
      : checkExposurePlace(input.exposurePlace, dataKinds, settings);
  // An exposure request names a place, so no identifier is looked up.
  const identifiers = new Set(
    place === null ? dataKinds.map(identifierOf) : [],
  );

  const phoneNumber = checkIdentifier(
    "phoneNumber",
    input.phoneNumber,
    identifiers.has("phone_number"),
    normalisePhoneNumber,
  );
  const cardHolder = checkIdentifier(
    "cardHolder",
    input.cardHolder,
    identifiers.has("card_holder"),
    normaliseCardHolder,
  );

  const purpose = input.purpose.trim();
  if (purpose === "" || purpose.length > MAX_PURPOSE_LENGTH) {
    throw new AppError(
      "validation_failed",
      `Invalid purpose: state why the data is needed in 1 to ${MAX_PURPOSE_LENGTH} characters.`,
    );
  }
  return {
    dataKinds,
    legalBasis,
    phoneNumber,
    cardHolder,
    purpose,
    exposurePlace: place === null ? null : JSON.stringify(place),
  };
}

function checkDataKinds(values: readonly string[]): DataKind[] {
  if (values.length === 0) {
    throw new AppError(
      "validation_failed",
      "Invalid dataKinds: name at least one of base_station, card, checkin, gps.",
    );
  }
  const kinds: DataKind[] = [];
  for (const value of values) {
    if (!isDataKind(value)) {
      throw new AppError(
        "validation_failed",
        `Invalid data kind ${JSON.stringify(value)}: expected base_station, card, checkin or gps.`,
      );
    }
    if (!kinds.includes(value)) {
      kinds.push(value);
    }
  }
  return kinds;
}

function checkLegalBasis(
  value: string,
  kinds: readonly DataKind[],
): LegalBasis {
  if (!isLegalBasis(value)) {
    throw new AppError(
      "validation_failed",
      `Invalid legalBasis ${JSON.stringify(value)}: expected 76-2(1) for personal data or 76-2(2) for location data.`,
    );
  }
  for (const kind of kinds) {
    const required = legalBasisOf(kind);
    if (required !== value) {
      throw new AppError(
        "validation_failed",
        `Invalid legalBasis ${value} for ${kind} data, which is requested under art. 76-2(${required === "76-2(2)" ? "2), through the police" : "1)"}. Put location data (base_station, gps) and other personal data (card, checkin) in separate requests.`,
      );
    }
  }
  return value;
}

function checkIdentifier(
  field: string,
  value: string | undefined,
  needed: boolean,
  normalise: (value: string) => string,
): string | null {
  if (needed && value === undefined) {
    throw new AppError(
      "validation_failed",
      `Missing ${field}: the requested data kinds are looked up by it.`,
    );
  }
  if (!needed && value !== undefined) {
    throw new AppError(
      "validation_failed",
      `Unexpected ${field}: none of the requested data kinds is looked up by it, so leave it out.`,
    );
  }
  return value === undefined ? null : normalise(value);
}

/**
 * Returns the ids of the organisations the request goes to: those given,
 * checked to be of a kind the data kinds need, or every organisation of
 * each needed kind.
 */
async function resolveProviders(
  trx: Transaction<Database>,
  kinds: readonly DataKind[],
  requestedIds: readonly string[] | undefined,
): Promise<string[]> {
  const neededKinds = [...new Set(kinds.map(providerKindOf))];

  if (requestedIds === undefined) {
    const organisations = await trx
      .selectFrom("organisations")
      .select(["id", "kind"])
      .where("kind", "in", neededKinds)
      .orderBy("name")
      .execute();
    for (const kind of neededKinds) {
      requireKindPresent(kind, organisations);
    }
    return organisations.map((o) => o.id);
  }

  const ids = [...new Set(requestedIds)];
  const organisations =
    ids.length === 0
      ? []
      : await trx
          .selectFrom("organisations")
          .select(["id", "kind"])
          .where("id", "in", ids)
          .execute();
  for (const id of ids) {
    const organisation = organisations.find((o) => o.id === id);
    if (organisation === undefined) {
      throw notFound(`Provider organisation ${id}`);
    }
    if (!neededKinds.includes(organisation.kind)) {
      throw new AppError(
        "validation_failed",
        `Invalid providerOrganisationIds: ${id} is a ${organisation.kind}, but these data kinds go to a ${neededKinds.join(" or ")}.`,
      );
    }
  }
  for (const kind of neededKinds) {
    requireKindPresent(kind, organisations);
  }
  return ids;
}

function requireKindPresent(
  kind: OrganisationKind,
  organisations: readonly { kind: OrganisationKind }[],
): void {
  if (!organisations.some((o) => o.kind === kind)) {
    throw new AppError(
      "validation_failed",
      `No ${kind} to send the request to: register one, or name one in providerOrganisationIds.`,
    );
  }
}

interface RequestContent extends CheckedRequest {
  window: RequestWindow;
  providerIds: readonly string[];
}

function newRequestRow(
  context: RequestContext,
  kase: Case,
  content: RequestContent,
  now: number,
): DataRequest {
  const id = randomUUID();
  return {
    id,
    case_id: kase.id,
    person_id: kase.person_id,
    organisation_id: context.caller.organisation.id,
    requested_by_user_id: context.caller.user.id,
    ...sealRequestIdentifiers(context.keys, kase.id, id, {
      phoneNumber: content.phoneNumber,
      cardHolder: content.cardHolder,
    }),
    data_kinds: JSON.stringify(content.dataKinds),
    provider_organisation_ids: JSON.stringify(content.providerIds),
    window_start_date: content.window.startDate,
    window_end_date: content.window.endDate,
    purpose: content.purpose,
    legal_basis: content.legalBasis,
    state: "draft",
    state_entered_at: now,
    deadline_at: requestDeadline("draft", now, context.settings),
    expires_at: null,
    submitted_at: null,
    first_answer_at: null,
    answered_at: null,
    exposure_place: content.exposurePlace,
    created_at: now,
    updated_at: now,
  };
}
