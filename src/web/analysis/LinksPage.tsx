import { useEffect, useMemo, useState } from "react";

import { PROVINCES } from "../cases/regions.js";
import { Link, navigate } from "../app/router.js";
import { ErrorMessage, errorText } from "../app/ui.js";
import { useI18n } from "../i18n/index.js";
import { analysisApi } from "./api.js";
import { layoutGraph } from "./force-layout.js";
import type { LinkCase, TransmissionLinks } from "./types.js";

/** Largest graph drawn; above it only the lists are shown, as the layout costs O(n²) per step. */
const MAX_GRAPH_NODES = 300;
/** Rows shown in each list. */
const LIST_ROWS = 200;
const GRAPH_WIDTH = 900;
const GRAPH_HEIGHT = 560;

/** The style of an edge between two cases. */
type EdgeKind = "known" | "candidate" | "found";

interface GraphEdge {
  a: string;
  b: string;
  kind: EdgeKind;
}

/**
 * Renders the transmission links among the cases of the user's
 * jurisdiction: a graph in which known links and candidate links look
 * different, and both lists.
 */
export function LinksPage() {
  const { t, locale } = useI18n();
  const [province, setProvince] = useState("");
  const [result, setResult] = useState<TransmissionLinks | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setResult(null);
    analysisApi
      .listLinks(province, controller.signal)
      .then((value) => {
        setResult(value);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(errorText(caught));
      });
    return () => controller.abort();
  }, [province]);

  return (
    <div className="analysis-page links-page">
      <div className="page-header">
        <h1>{t("links.title")}</h1>
        <span className="muted">{t("links.intro")}</span>
      </div>
      <div className="panel analysis-controls">
        <label className="inline-field">
          {t("cases.province")}
          <select
            name="province"
            value={province}
            onChange={(event) => setProvince(event.target.value)}
          >
            <option value="">{t("common.all")}</option>
            {PROVINCES.map((item) => (
              <option key={item.code} value={item.english}>
                {locale === "ko" ? item.name : item.english}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage message={error} />
      {result === null ? (
        <p className="empty">{t("common.loading")}</p>
      ) : (
        <LinksView result={result} />
      )}
    </div>
  );
}

function LinksView({ result }: { result: TransmissionLinks }) {
  const { t, number } = useI18n();
  const summary = result.summary;
  const graph = useMemo(() => graphOf(result), [result]);

  return (
    <>
      <p className="muted" data-testid="links-summary">
        {t("links.summary", {
          cases: number(summary.caseCount),
          withStays: number(summary.casesWithStays),
          known: number(summary.knownLinksWithStays),
          found: number(summary.knownLinksFound),
          either: number(summary.knownLinksFoundEitherDirection),
          pairs: number(summary.candidatePairCount),
          unknown: number(summary.candidatePairsNotKnown),
        })}
      </p>
      {graph.cases.length > MAX_GRAPH_NODES ? (
        <p className="message" data-testid="links-graph-too-large">
          {t("links.tooLarge", {
            count: number(result.cases.length),
            max: number(MAX_GRAPH_NODES),
          })}
        </p>
      ) : (
        <>
          {graph.isKnownOnly ? (
            <p className="muted" data-testid="links-graph-known-only">
              {t("links.graphKnownOnly", {
                count: number(result.cases.length),
                shown: number(graph.cases.length),
              })}
            </p>
          ) : null}
          <LinkGraph cases={graph.cases} edges={graph.edges} />
        </>
      )}
      <div className="links-lists">
        <KnownList result={result} />
        <CandidateList result={result} />
      </div>
    </>
  );
}

interface Graph {
  cases: LinkCase[];
  edges: GraphEdge[];
  /** Whether the graph was cut down to the cases of known links. */
  isKnownOnly: boolean;
}

/**
 * Returns what the graph draws: every linked case when they are few
 * enough, else only the cases of known links and the edges among them.
 */
function graphOf(result: TransmissionLinks): Graph {
  const edges = edgesOf(result);
  if (result.cases.length <= MAX_GRAPH_NODES) {
    return { cases: result.cases, edges, isKnownOnly: false };
  }
  const known = new Set<string>();
  for (const link of result.knownLinks) {
    if (link.infectorCaseId === null) continue;
    known.add(link.infectorCaseId);
    known.add(link.infecteeCaseId);
  }
  return {
    cases: result.cases.filter((kase) => known.has(kase.caseId)),
    edges: edges.filter((edge) => known.has(edge.a) && known.has(edge.b)),
    isKnownOnly: true,
  };
}

/** Merges the known and candidate links into one edge per pair of cases. */
function edgesOf(result: TransmissionLinks): GraphEdge[] {
  const byPair = new Map<string, GraphEdge>();
  const key = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  for (const link of result.knownLinks) {
    if (link.infectorCaseId === null) continue;
    const found = link.found || link.foundReversed;
    byPair.set(key(link.infectorCaseId, link.infecteeCaseId), {
      a: link.infectorCaseId,
      b: link.infecteeCaseId,
      kind: found ? "found" : "known",
    });
  }
  for (const link of result.candidateLinks) {
    const pair = key(link.infectorCaseId, link.infecteeCaseId);
    if (!byPair.has(pair)) {
      byPair.set(pair, {
        a: link.infectorCaseId,
        b: link.infecteeCaseId,
        kind: "candidate",
      });
    }
  }
  return [...byPair.values()];
}

function LinkGraph({
  cases,
  edges,
}: {
  cases: readonly LinkCase[];
  edges: readonly GraphEdge[];
}) {
  const { t } = useI18n();
  const positions = useMemo(
    () =>
      layoutGraph(
        cases.map((kase) => kase.caseId),
        edges.map((edge) => [edge.a, edge.b] as const),
        { width: GRAPH_WIDTH, height: GRAPH_HEIGHT },
      ),
    [cases, edges],
  );
  const showLabels = cases.length <= 60;

  return (
    <div className="panel link-graph-panel">
      <svg
        className="link-graph"
        viewBox={`-20 -20 ${GRAPH_WIDTH + 40} ${GRAPH_HEIGHT + 40}`}
        role="img"
        aria-label={t("links.graph")}
        data-testid="links-graph"
      >
        {edges.map((edge) => {
          const from = positions.get(edge.a);
          const to = positions.get(edge.b);
          if (from === undefined || to === undefined) return null;
          return (
            <line
              key={`${edge.a} ${edge.b}`}
              className={`link-edge link-${edge.kind}`}
              data-testid={`link-edge-${edge.kind}`}
              x1={from.x}
              y1={from.y}
              x2={to.x}
              y2={to.y}
            />
          );
        })}
        {cases.map((kase) => {
          const position = positions.get(kase.caseId);
          if (position === undefined) return null;
          return (
            <g
              key={kase.caseId}
              className="link-node"
              transform={`translate(${position.x} ${position.y})`}
              onClick={() =>
                navigate(`/cases/${encodeURIComponent(kase.caseId)}`)
              }
            >
              <title>{kase.caseNumber}</title>
              <circle r={5} className={kase.hasStays ? "" : "no-stays"} />
              {showLabels ? (
                <text x={7} y={4}>
                  {kase.caseNumber}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <div className="link-legend">
        {(["known", "found", "candidate"] as const).map((kind) => (
          <span key={kind} className="legend-item">
            <svg width="34" height="10" aria-hidden="true">
              <line
                className={`link-edge link-${kind}`}
                x1="2"
                y1="5"
                x2="32"
                y2="5"
              />
            </svg>
            {t(`links.legend.${kind}`)}
          </span>
        ))}
      </div>
    </div>
  );
}

function useCaseNumbers(result: TransmissionLinks) {
  return useMemo(
    () => new Map(result.cases.map((kase) => [kase.caseId, kase])),
    [result],
  );
}

function CaseLink({ kase }: { kase: LinkCase | undefined }) {
  const { t } = useI18n();
  if (kase === undefined) return <span>{t("common.none")}</span>;
  return (
    <Link to={`/cases/${encodeURIComponent(kase.caseId)}`}>
      {kase.caseNumber}
    </Link>
  );
}

function KnownList({ result }: { result: TransmissionLinks }) {
  const { t, number } = useI18n();
  const cases = useCaseNumbers(result);
  const rows = result.knownLinks.slice(0, LIST_ROWS);
  return (
    <section className="panel">
      <h2>
        {t("links.known")}{" "}
        <span className="muted">({number(result.knownLinks.length)})</span>
      </h2>
      <div className="links-list-scroll">
        <table className="data-table" data-testid="known-links-table">
          <thead>
            <tr>
              <th>{t("links.column.infector")}</th>
              <th>{t("links.column.infectee")}</th>
              <th>{t("links.column.found")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((link) => (
              <tr key={link.infecteeCaseId} data-testid="known-link-row">
                <td>
                  {link.infectorCaseId === null ? (
                    <span title={t("links.outsideHint")}>
                      {link.reportedInfector} · {t("links.outside")}
                    </span>
                  ) : (
                    <CaseLink kase={cases.get(link.infectorCaseId)} />
                  )}
                </td>
                <td>
                  <CaseLink kase={cases.get(link.infecteeCaseId)} />
                </td>
                <td>
                  {!link.bothHaveStays
                    ? t("links.noStays")
                    : link.found
                      ? t("links.foundForward")
                      : link.foundReversed
                        ? t("links.foundReversed")
                        : t("links.notFound")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.knownLinks.length > rows.length ? (
        <p className="muted">
          {t("links.rowsShown", {
            shown: number(rows.length),
            total: number(result.knownLinks.length),
          })}
        </p>
      ) : null}
    </section>
  );
}

function CandidateList({ result }: { result: TransmissionLinks }) {
  const { t, number, label, date } = useI18n();
  const cases = useCaseNumbers(result);
  const rows = result.candidateLinks.slice(0, LIST_ROWS);
  return (
    <section className="panel">
      <h2>
        {t("links.candidates")}{" "}
        <span className="muted">({number(result.candidateLinks.length)})</span>
      </h2>
      <div className="links-list-scroll">
        <table className="data-table" data-testid="candidate-links-table">
          <thead>
            <tr>
              <th>{t("links.column.infector")}</th>
              <th>{t("links.column.infectee")}</th>
              <th>{t("links.column.kind")}</th>
              <th>{t("links.column.evidence")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((link) => (
              <tr
                key={`${link.infectorCaseId} ${link.infecteeCaseId}`}
                data-testid="candidate-link-row"
                className={link.known ? "known-link" : undefined}
              >
                <td>
                  <CaseLink kase={cases.get(link.infectorCaseId)} />
                </td>
                <td>
                  <CaseLink kase={cases.get(link.infecteeCaseId)} />
                </td>
                <td>
                  {label("contacts.groupShort", link.group)}
                  {link.known ? ` · ${t("links.alsoKnown")}` : ""}
                </td>
                <td>
                  {link.score === null
                    ? link.dates.map((day) => date(day)).join(", ")
                    : t("links.score", {
                        score: number(Math.round(link.score * 10) / 10),
                        minutes: number(Math.round(link.certainMinutes ?? 0)),
                      })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.candidateLinks.length > rows.length ? (
        <p className="muted">
          {t("links.rowsShown", {
            shown: number(rows.length),
            total: number(result.candidateLinks.length),
          })}
        </p>
      ) : null}
    </section>
  );
}
