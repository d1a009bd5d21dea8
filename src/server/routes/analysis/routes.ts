import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import { AppError } from "../../../errors.js";
import {
  decideContact,
  findAreaHotspots,
  listCaseContacts,
  listTransmissionLinks,
  queryExposure,
  type CaseContactsOptions,
} from "../../../investigation/index.js";
import { accessContextOf } from "../../context.js";
import { caseRouteRoutes } from "./case-route.js";
import {
  presentCaseContacts,
  presentContactDecision,
  presentExposure,
  presentHotspots,
  presentLinks,
} from "../../presenters/analysis.js";
import {
  CaseContactsParams,
  CaseContactsQuery,
  ContactDecisionBody,
  ContactDecisionParams,
  ExposureBody,
  HotspotQuery,
  LinksQuery,
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
      const { from, to, method, resolution, dayLevel } = request.query;
      const result = await findAreaHotspots(accessContextOf(request), {
        method: method ?? "gi-star",
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(resolution === undefined ? {} : { resolution }),
        ...(dayLevel === undefined ? {} : { includeDayLevel: dayLevel }),
      });
      return presentHotspots(result);
    },
  );

  app.post("/exposure", { schema: { body: ExposureBody } }, async (request) => {
    const body = request.body;
    const result = await queryExposure(accessContextOf(request), {
      latitude: body.latitude,
      longitude: body.longitude,
      from: instantOf("from", body.from),
      to: instantOf("to", body.to),
      ...(body.radiusMeters === undefined
        ? {}
        : { radiusMeters: body.radiusMeters }),
      ...(body.minDwellMinutes === undefined
        ? {}
        : { minimumDwellMinutes: body.minDwellMinutes }),
    });
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

/** Parses an ISO 8601 instant that names its offset, raising `validation_failed` otherwise. */
function instantOf(field: string, value: string): number {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const instant = Date.parse(value);
  if (!hasOffset || Number.isNaN(instant)) {
    throw new AppError(
      "validation_failed",
      `Invalid ${field} ${JSON.stringify(value)}: expected an ISO 8601 instant with an offset, such as 2020-02-20T09:00:00+09:00.`,
    );
  }
  return instant;
}
