import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";

import type {
  RouteDateOnlyStay,
  RouteMove,
  RouteStay,
  TimeSlot,
} from "../../../analysis/route/index.js";
import { AppError } from "../../../errors.js";
import {
  loadCaseRoute,
  type CaseRoute,
  type SlotPeriod,
} from "../../../investigation/index.js";
import { accessContextOf } from "../../context.js";
import { CaseContactsParams, CaseRouteQuery } from "./schema.js";

/** Registers the fused route of a case: its stays, moves and hourly slots. */
export const caseRouteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/cases/:id/route",
    { schema: { params: CaseContactsParams, querystring: CaseRouteQuery } },
    async (request) => {
      const route = await loadCaseRoute(
        accessContextOf(request),
        request.params.id,
        slotPeriodOf(request.query),
      );
      return presentCaseRoute(route);
    },
  );
};

/** Returns the period of the hourly slots, or undefined for the default. */
function slotPeriodOf(query: {
  from?: string | undefined;
  to?: string | undefined;
}): SlotPeriod | undefined {
  if (query.from === undefined && query.to === undefined) {
    return undefined;
  }
  if (query.from === undefined || query.to === undefined) {
    throw new AppError(
      "validation_failed",
      "Invalid slot period: give both from and to, or neither.",
    );
  }
  return { from: query.from, to: query.to };
}

/** Instants of the route go out as ISO 8601 in UTC. */
const iso = (instant: number): string => new Date(instant).toISOString();

/** Shapes a case route for the API, with ISO 8601 instants. */
export function presentCaseRoute(route: CaseRoute) {
  return {
    caseId: route.caseId,
    stays: route.stays.map(presentStay),
    dateOnlyStays: route.dateOnlyStays.map(presentDateOnlyStay),
    moves: route.moves.map(presentMove),
    excluded: route.excluded.map((record) => ({
      source: record.source,
      reason: record.reason,
      recordedAt: iso(record.recordedAt),
      detail: record.detail,
    })),
    timeSlots: route.timeSlots.map(presentSlot),
  };
}

function presentStay(stay: RouteStay) {
  return {
    id: stay.id,
    source: stay.source,
    sources: stay.sources,
    startedAt: iso(stay.startedAt),
    lastFixAt: iso(stay.lastFixAt),
    finishedAt: iso(stay.finishedAt),
    observedFrom: iso(stay.observedFrom),
    observedTo: iso(stay.observedTo),
    timing: stay.timing,
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radiusMeters,
    placeName: stay.placeName,
    placeLabel: stay.placeLabel,
    address: stay.address,
    area: stay.area,
    confidence: stay.confidence,
    confidenceLevel: stay.confidenceLevel,
    conflictsWith: stay.conflictsWith,
    memberCount: stay.memberIds.length,
  };
}

function presentDateOnlyStay(stay: RouteDateOnlyStay) {
  return {
    id: stay.id,
    source: stay.source,
    sources: stay.sources,
    visitDate: stay.visitDate,
    latitude: stay.latitude,
    longitude: stay.longitude,
    radiusMeters: stay.radiusMeters,
    placeName: stay.placeName,
    placeLabel: stay.placeLabel,
    address: stay.address,
    area: stay.area,
    confidence: stay.confidence,
    confidenceLevel: stay.confidenceLevel,
  };
}

function presentMove(move: RouteMove) {
  return {
    id: move.id,
    fromStayId: move.fromStayId,
    toStayId: move.toStayId,
    startedAt: iso(move.startedAt),
    endedAt: iso(move.endedAt),
    distanceMeters: move.distanceMeters,
    minimumDistanceMeters: move.minimumDistanceMeters,
    noData: move.noData,
  };
}

function presentSlot(slot: TimeSlot) {
  return {
    startsAt: iso(slot.startsAt),
    endsAt: iso(slot.endsAt),
    status: slot.status,
    stayId: slot.stayId,
    moveId: slot.moveId,
    sources: slot.sources,
    placeLabel: slot.placeLabel,
    confidence: slot.confidence,
    certainMinutes: slot.certainMinutes,
    possibleMinutes: slot.possibleMinutes,
    candidateCount: slot.candidateCount,
  };
}
