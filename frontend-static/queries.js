// GraphQL operation texts. RELATION_SEARCH and RELATION_CARD are copied verbatim from
// shared/contract/operations/ (tests/e2e/test_operations.py checks that); the rest are the
// small extra queries and mutations the cockpit needs.

import { addDays } from './format.js';

// The card's appointments: from the start of today (today's are shown too) for 90 days.
// The same variables all day long let the server answer a card again from its cache.
const APPOINTMENT_DAYS = 90;

export function cardVariables(id) {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return { id, from: today.toISOString(), to: addDays(today, APPOINTMENT_DAYS).toISOString() };
}

export const RELATION_SEARCH = `query RelationSearch($search: String, $filter: RelationFilter, $first: Int, $after: String) {
  relations(search: $search, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id number displayName partyType kinds status legalForm
      organisation { kvkNumber } addresses { type city postalCode } } }
  }
}
`;

export const RELATION_CARD = `# The cockpit's main query: a whole relation card in one request.
query RelationCard($id: ID!, $from: DateTime, $to: DateTime) {
  relation(id: $id) {
    id number displayName partyType kinds agencyType status legalForm taxRegime
    email phone website createdAt updatedAt
    person { initials firstNames givenName prefix lastName dateOfBirth bsnMasked }
    organisation {
      legalName tradeNames kvkNumber establishmentNumber rsin vatNumber
      payrollTaxNumber sbiCodes foundedOn
    }
    sbr { registeredSeat sizeCategory financialYearStart reportingCurrency consolidates filingContact { id displayName } }
    addresses { id type street houseNumber houseNumberAddition postalCode city countryCode }
    contacts {
      id displayName department jobTitle phone mobile email isPrimary
      customFields { definition { key label type } value }
    }
    partnership {
      type fiscalPartner since
      partner { id number displayName person { lastName dateOfBirth bsnMasked } }
    }
    links {
      id type note since
      to { id number displayName agencyType phone email }
      contact { displayName phone email }
    }
    shareholders { id percentage since fiscalUnityCorporateTax holder { id number displayName legalForm } }
    participations { id percentage since fiscalUnityCorporateTax subsidiary { id number displayName legalForm } }
    group { depth percentage holder { id displayName } subsidiary { id displayName } }
    staff { id role since employee { id name email role } }
    appointments(from: $from, to: $to) {
      id title start end location status
      employees { id name }
      contacts { id displayName }
    }
    accounts { id externalId syncState system { id name kind baseUrl } }
    customFields { definition { key label type group } value }
    snapshots { id takenAt reason contentHash }
  }
}
`;

export const RELATION_HISTORY = `query RelationHistory($id: ID!) {
  relation(id: $id) {
    id
    versions(first: 50) { at entity entityId op actor { name } changes }
  }
}
`;

export const RELATION_BSN = `query RelationBsn($id: ID!) {
  relation(id: $id) { id person { bsn } }
}
`;

// The card's contacts carry only displayName; the contact form needs the name parts.
export const RELATION_CONTACTS = `query RelationContacts($id: ID!) {
  relation(id: $id) {
    id
    contacts {
      id initials firstName prefix lastName department jobTitle
      phone mobile email isPrimary
    }
  }
}
`;

const USER_ERRORS = 'errors { field code message }';

export const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    session { accessToken expiresAt employee { id name role } }
    ${USER_ERRORS}
  }
}
`;

export const CREATE_RELATION = `mutation CreateRelation($input: RelationInput!) {
  createRelation(input: $input) {
    relation { id number displayName }
    ${USER_ERRORS}
  }
}
`;

export const UPDATE_RELATION = `mutation UpdateRelation($id: ID!, $input: RelationInput!) {
  updateRelation(id: $id, input: $input) {
    relation { id number displayName }
    ${USER_ERRORS}
  }
}
`;

export const ADD_CONTACT = `mutation AddContactPerson($relationId: ID!, $input: ContactPersonInput!) {
  addContactPerson(relationId: $relationId, input: $input) {
    contact { id displayName }
    ${USER_ERRORS}
  }
}
`;

export const UPDATE_CONTACT = `mutation UpdateContactPerson($id: ID!, $input: ContactPersonInput!) {
  updateContactPerson(id: $id, input: $input) {
    contact { id displayName }
    ${USER_ERRORS}
  }
}
`;

export const REMOVE_CONTACT = `mutation RemoveContactPerson($id: ID!) {
  removeContactPerson(id: $id) {
    deletedId
    ${USER_ERRORS}
  }
}
`;

export const DRILL_DOWN = `mutation DrillDown($id: ID!) {
  drillDown(accountId: $id) {
    drillDown { url }
    ${USER_ERRORS}
  }
}
`;

export const CREATE_SNAPSHOT = `mutation CreateSnapshot($relationId: ID!, $reason: String!) {
  createSnapshot(relationId: $relationId, reason: $reason) {
    snapshot { id takenAt reason contentHash }
    ${USER_ERRORS}
  }
}
`;
