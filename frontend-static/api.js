// The GraphQL client: session storage, fetch, and the mapping of errors.
//
// - Expected failures of mutations arrive in the payload's `errors` and are returned to the
//   caller (forms show them next to their fields).
// - Unexpected failures (top-level GraphQL `errors`, HTTP or network errors) become an
//   ApiError with a generic Dutch message; the details go to the console only.
// - A missing, expired or refused token clears the session and sends the user to sign-in.

import { LOGIN } from './queries.js';

const SESSION_KEY = 'relatiebeheer.session';
const ENDPOINT = '/graphql';

export const GENERIC_ERROR = 'Er is iets misgegaan. Probeer het later opnieuw.';
export const NETWORK_ERROR = 'De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.';
export const SESSION_EXPIRED = 'Uw sessie is verlopen. Meld u opnieuw aan.';

export class ApiError extends Error {
  constructor(message, details = null) {
    super(message);
    this.name = 'ApiError';
    this.details = details;
  }
}

/** Thrown after the session was cleared; callers need not show anything for it. */
export class AuthError extends ApiError {
  constructor() {
    super(SESSION_EXPIRED);
    this.name = 'AuthError';
  }
}

let unauthenticatedHandler = () => {};
let partialErrorHandler = () => {};

export function onUnauthenticated(handler) { unauthenticatedHandler = handler; }
export function onPartialError(handler) { partialErrorHandler = handler; }

// ---------------------------------------------------------------- session

/** The stored session, or null when there is none or it has expired. */
export function getSession() {
  let session;
  try {
    session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    session = null;
  }
  if (!session?.accessToken) return null;
  const expiresAt = Date.parse(session.expiresAt);
  if (!Number.isNaN(expiresAt) && expiresAt <= Date.now()) {
    clearSession();
    return null;
  }
  return session;
}

export function setSession(session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    accessToken: session.accessToken,
    expiresAt: session.expiresAt,
    employee: session.employee,
  }));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Roles that may read a full BSN (the server checks again and audits the read). */
export function maySeeBsn(session) {
  return ['PARTNER', 'MANAGER', 'ADMIN'].includes(session?.employee?.role);
}

// ---------------------------------------------------------------- transport

const UNAUTHENTICATED_CODES = new Set(['UNAUTHENTICATED', 'UNAUTHORIZED', 'INVALID_TOKEN', 'TOKEN_EXPIRED']);
const UNAUTHENTICATED_TEXT = /unauthenticated|not authenticated|authentication required|invalid token|token (has )?expired|expired token/i;

function isUnauthenticated(error) {
  const code = error?.extensions?.code;
  return UNAUTHENTICATED_CODES.has(code) || UNAUTHENTICATED_TEXT.test(error?.message ?? '');
}

function signedOut() {
  clearSession();
  unauthenticatedHandler();
  return new AuthError();
}

async function post(query, variables, { auth = true, signal } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (auth) {
    const session = getSession();
    if (!session) throw signedOut();
    headers.Authorization = `Bearer ${session.accessToken}`;
  }
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST', headers, body: JSON.stringify({ query, variables }), signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError(NETWORK_ERROR, error);
  }
  if (response.status === 401 && auth) throw signedOut();
  let body;
  try {
    body = await response.json();
  } catch (error) {
    console.error('GraphQL: response is not JSON', response.status, error);
    throw new ApiError(GENERIC_ERROR, { status: response.status });
  }
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (auth && errors.some(isUnauthenticated)) throw signedOut();
  if (errors.length) console.error('GraphQL errors', errors);
  if (!response.ok && !body?.data) throw new ApiError(GENERIC_ERROR, { status: response.status, errors });
  return { data: body?.data ?? null, errors };
}

/**
 * Run a query and return its data. Top-level errors with no usable data throw an ApiError;
 * with partial data the data is returned and the partial-error handler shows a notice
 * (unless `quietPartial`, for callers that explain a missing field themselves).
 */
export async function query(text, variables = {}, options = {}) {
  const { data, errors } = await post(text, variables, options);
  const hasData = data && Object.values(data).some((value) => value !== null);
  if (errors.length && !hasData) throw new ApiError(GENERIC_ERROR, errors);
  if (errors.length && !options.quietPartial) partialErrorHandler(errors);
  return data;
}

/**
 * Run a mutation and return its payload (`data[root]`) with `errors` always an array.
 * Top-level errors throw an ApiError: they mean something unexpected, not bad input.
 */
export async function mutate(text, variables, root, options = {}) {
  const { data, errors } = await post(text, variables, options);
  const payload = data?.[root];
  if (errors.length || !payload) throw new ApiError(GENERIC_ERROR, errors);
  return { ...payload, errors: Array.isArray(payload.errors) ? payload.errors : [] };
}

/** Sign in; returns the payload (`session` or `errors`), storing the session on success. */
export async function login(email, password) {
  const payload = await mutate(LOGIN, { email, password }, 'login', { auth: false });
  if (payload.session && payload.errors.length === 0) setSession(payload.session);
  return payload;
}

/** The message to show for an error thrown by query/mutate. */
export function errorMessage(error) {
  return error instanceof ApiError ? error.message : GENERIC_ERROR;
}
