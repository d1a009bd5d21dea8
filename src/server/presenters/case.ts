import type { CaseDetails, CaseSummaryRow } from "../../cases/index.js";

/** Shapes a row of the case list for the API. */
export function presentCaseSummary(row: CaseSummaryRow) {
  return {
    id: row.id,
    caseNumber: row.case_number,
    province: row.province,
    city: row.city,
    status: row.status,
    state: row.state,
    symptomOnsetDate: row.symptom_onset_date,
    confirmedDate: row.confirmed_date,
    visitCount: row.visit_count,
  };
}

/** Shapes a case with its person for the API. */
export function presentCaseDetails({
  kase,
  person,
  organisation,
  investigators,
}: CaseDetails) {
  return {
    id: kase.id,
    caseNumber: kase.case_number,
    person: {
      id: person.id,
      label: person.label,
      name: person.name,
      sex: person.sex,
      birthYear: person.birth_year,
      country: person.country,
      homeProvince: person.home_province,
      homeCity: person.home_city,
    },
    organisation: { id: organisation.id, name: organisation.name },
    province: kase.province,
    city: kase.city,
    symptomOnsetDate: kase.symptom_onset_date,
    testDate: kase.test_date,
    confirmedDate: kase.confirmed_date,
    isolationDate: kase.isolation_date,
    releasedDate: kase.released_date,
    deceasedDate: kase.deceased_date,
    closedDate: kase.closed_date,
    status: kase.status,
    state: kase.state,
    infectionCase: kase.infection_case,
    infectedBy: kase.infected_by,
    contactCount: kase.contact_count,
    investigators: investigators.map((i) => ({
      id: i.id,
      displayName: i.display_name,
    })),
  };
}
