// Formatting for display: dates and times in Europe/Amsterdam, Dutch numbers, postcodes
// with a space, safe external URLs.

const TIME_ZONE = 'Europe/Amsterdam';

const dateTimeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
  hour: '2-digit', minute: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit',
});
const dayKeyFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE });
// Plain dates (the Date scalar) carry no zone: format them as UTC so they never shift a day.
const plainDateFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric',
});
const numberFormat = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 2 });

function toDate(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value) {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : (value ?? '');
}

/** "di 4 feb 2025 09:00 – 10:30", or both ends in full when they fall on different days. */
export function formatRange(start, end) {
  const from = toDate(start);
  const to = toDate(end);
  if (!from) return '';
  if (!to) return dateTimeFormat.format(from);
  if (dayKeyFormat.format(from) === dayKeyFormat.format(to)) {
    return `${dateTimeFormat.format(from)} – ${timeFormat.format(to)}`;
  }
  return `${dateTimeFormat.format(from)} – ${dateTimeFormat.format(to)}`;
}

/** A Date scalar ("2025-02-04") as "04-02-2025". */
export function formatDate(value) {
  if (!value) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
  if (!match) return String(value);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return plainDateFormat.format(date);
}

/** Dutch postcodes are stored compact ("1234AB") and shown with a space ("1234 AB"). */
export function formatPostcode(value, countryCode = 'NL') {
  if (!value) return '';
  const compact = String(value).replace(/\s+/g, '').toUpperCase();
  if ((countryCode || 'NL').toUpperCase() === 'NL' && /^\d{4}[A-Z]{2}$/.test(compact)) {
    return `${compact.slice(0, 4)} ${compact.slice(4)}`;
  }
  return String(value);
}

// Dutch area codes of two digits (after the 0); all other fixed lines have three.
const SHORT_AREA_CODES = new Set(['10', '13', '15', '20', '23', '24', '26', '30', '33', '35', '36',
  '38', '40', '43', '45', '46', '50', '53', '55', '58', '70', '71', '72', '73', '74', '75', '76',
  '77', '78', '79']);

/** Phone numbers may come as E.164; Dutch ones are shown in the national form: "020 123 4567". */
export function formatPhone(value) {
  if (!value) return '';
  const match = /^\+31(\d{9})$/.exec(String(value).replace(/\s+/g, ''));
  if (!match) return String(value);
  const digits = match[1];
  if (digits.startsWith('6')) return `06 ${digits.slice(1)}`;
  if (SHORT_AREA_CODES.has(digits.slice(0, 2))) return `0${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}`;
  return `0${digits.slice(0, 3)} ${digits.slice(3)}`;
}

export function formatPercentage(value) {
  const number = Number(value);
  if (value === null || value === undefined || Number.isNaN(number)) return '';
  return `${numberFormat.format(number)}%`;
}

export function formatNumber(value) {
  const number = Number(value);
  return Number.isNaN(number) ? String(value) : numberFormat.format(number);
}

export function yesNo(value) {
  if (value === null || value === undefined) return '';
  return value ? 'Ja' : 'Nee';
}

/** Only http(s) URLs may become links; a bare host gets https://. */
export function safeUrl(value) {
  if (!value) return null;
  const text = String(value).trim();
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A custom field value in the JSON form of its type. */
export function formatCustomValue(value, type) {
  if (value === null || value === undefined || value === '') return '—';
  switch (type) {
    case 'BOOLEAN': return yesNo(value);
    case 'DATE': return formatDate(value);
    case 'NUMBER': return formatNumber(value);
    case 'MULTI_CHOICE': return Array.isArray(value) ? value.join(', ') : String(value);
    default: return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** A value from a history diff, whatever its JSON type. */
export function formatChangeValue(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return yesNo(value);
  if (Array.isArray(value)) return value.length ? value.map(formatChangeValue).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function addDays(date, days) {
  return new Date(date.getTime() + days * 24 * 60 * 60 * 1000);
}
