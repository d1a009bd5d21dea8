import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { AppError } from "../../../errors.js";
import {
  decideContact,
  DEFAULT_AREA_K,
  findAreaHotspots,
  findSpaceTimeClusters,
  listCaseContacts,
  listTransmissionLinks,
  queryExposure,
  type AreaWeights,
  type CaseContactsOptions,
} from "../../../investigation/index.js";
import { accessContextOf } from "../../context.js";
import { caseRouteRoutes } from "./case-route.js";
import { exposureRequestOf } from "./exposure-body.js";
import { instantOf } from "./instant.js";
import {
  presentCaseContacts,
  presentContactDecision,
  presentExposure,
  presentHotspots,
  presentLinks,
  presentSpaceTimeClusters,
} from "../../presenters/analysis.js";
import {
  CaseContactsParams,
  CaseContactsQuery,
  ContactDecisionBody,
  ContactDecisionParams,
  ExposureBody,
  HotspotQuery,
  LinksQuery,
  SpaceTimeScanQuery,
} from "./schema.js";

/** Registers the analyses on the store: contacts of a case, hotspots, exposure queries and transmission links. */
export const analysisRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(caseRouteRoutes);

  app.get(
    "/cases/:id/contacts",
    { schema: { params: CaseContactsParams, querystring: CaseContactsQuery } },
    async (request) => {
      const context = accessContextOf(request);
      const options = contactOptionsOf(request.query);
      const result = await listCaseContacts(
        context,
        request.params.id,
        options,
      );
      return presentCaseContacts(result);
    },
  );

  app.post(
    "/cases/:id/contacts/:personId/decision",
    { schema: { params: ContactDecisionParams, body: ContactDecisionBody } },
    async (request, reply) => {
      const context = accessContextOf(request);
      const { id, personId } = request.params;
      const decision = await decideContact(context, id, personId, request.body);
      return reply.status(201).send(presentContactDecision(decision));
    },
  );

  app.get(
    "/hotspots",
    { schema: { querystring: HotspotQuery } },
    async (request) => {
      const query = request.query;
      const weights = areaWeightsOf(query);
      const result = await findAreaHotspots(accessContextOf(request), {
        method: query.method ?? "gi-star",
        ...definedFields({
          from: query.from,
          to: query.to,
          resolution: query.resolution,
          unit: query.unit,
          areaLevel: query.areaLevel,
          weights,
          includeDayLevel: query.dayLevel,
        }),
      });
      return presentHotspots(result);
    },
  );

  app.get(
    "/hotspots/space-time-scan",
    { schema: { querystring: SpaceTimeScanQuery } },
    async (request) => {
      const result = await findSpaceTimeClusters(
        accessContextOf(request),
        definedFields(request.query),
      );
      return presentSpaceTimeClusters(result);
    },
  );

  app.post("/exposure", { schema: { body: ExposureBody } }, async (request) => {
    const result = await queryExposure(
      accessContextOf(request),
      exposureRequestOf(request.body),
    );
    return presentExposure(result);
  });

  app.get(
    "/links",
    { schema: { querystring: LinksQuery } },
    async (request) => {
      const result = await listTransmissionLinks(
        accessContextOf(request),
        request.query.province,
      );
      return presentLinks(result);
    },
  );
};

/** Returns the Gi* weights of an area search, or undefined for the default; raises `validation_failed` for a contradiction. */
function areaWeightsOf(query: {
  weights?: "k-nearest" | "distance-band" | undefined;
  k?: number | undefined;
  bandMeters?: number | undefined;
}): AreaWeights | undefined {
  const kind =
    query.weights ??
    (query.bandMeters === undefined ? undefined : "distance-band");
  if (kind === "distance-band") {
    if (query.bandMeters === undefined) {
      throw new AppError(
        "validation_failed",
        "Missing bandMeters: weights=distance-band needs the band in metres, such as bandMeters=3000.",
      );
    }
    if (query.k !== undefined) {
      throw new AppError(
        "validation_failed",
        "Invalid k with weights=distance-band: k applies to k-nearest; leave it out.",
      );
    }
    return { kind, bandMeters: query.bandMeters };
  }
  if (query.bandMeters !== undefined) {
    throw new AppError(
      "validation_failed",
      "Invalid bandMeters with weights=k-nearest: give weights=distance-band or leave bandMeters out.",
    );
  }
  if (kind === undefined && query.k === undefined) {
    return undefined;
  }
  return { kind: "k-nearest", k: query.k ?? DEFAULT_AREA_K };
}

/** Returns the object without its undefined fields, as the optional fields of the use cases expect. */
function definedFields<T extends object>(
  object: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function contactOptionsOf(query: {
  from?: string | undefined;
  to?: string | undefined;
  contactDistanceMeters?: number | undefined;
  minimumMinutes?: number | undefined;
}): CaseContactsOptions {
  if ((query.from === undefined) !== (query.to === undefined)) {
    throw new AppError(
      "validation_failed",
      "Invalid infectious period: give both from and to, or neither.",
    );
  }
  const options: CaseContactsOptions = {};
  if (query.from !== undefined && query.to !== undefined) {
    const startsAt = instantOf("from", query.from);
    const endsAt = instantOf("to", query.to);
    if (!(startsAt < endsAt)) {
      throw new AppError(
        "validation_failed",
        "Invalid infectious period: from must be before to.",
      );
    }
    options.infectiousPeriod = { startsAt, endsAt };
  }
  if (query.contactDistanceMeters !== undefined) {
    options.contactDistanceMeters = query.contactDistanceMeters;
  }
  if (query.minimumMinutes !== undefined) {
    options.minimumMinutes = query.minimumMinutes;
  }
  return options;
}
