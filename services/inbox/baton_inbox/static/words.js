// API errors in the words a teammate reads: a sentence that names the field, never
// "base_url: Field required". The API's own messages are for programs and logs.
const FIELD_WORDS = {
  name: 'The name',
  account_name: 'The account name',
  email: 'The e-mail address',
  password: 'The password',
  base_url: 'The base URL (where the pages are published)',
  files: 'The files',
  url: 'The URL',
  site_address: "The site's address",
  allowed_origins: 'Each allowed origin',
  display_name: 'The name shown in the widget',
  greeting: 'The greeting',
  accent_color: 'The accent colour',
  sensitive_topics: 'Each sensitive topic',
  handback_idle_seconds: 'The hand-back idle time',
  max_pages: 'The page limit',
  text: 'The message',
  role: 'The role',
};

// "allowed_origins.0" -> "allowed_origins": the list a bad item sits in.
export const fieldName = (field) => String(field || '').split('.').find((part) => !/^\d+$/.test(part)) || '';

export function fieldWords(field) {
  const name = fieldName(field);
  if (FIELD_WORDS[name]) return FIELD_WORDS[name];
  return `The ${name.replace(/_/g, ' ')}`;
}

// What a value must look like, for the fields with a format.
const FORMS = {
  allowed_origins: 'https://www.example.com (scheme and host, no path)',
  site_address: 'https://www.example.com',
  accent_color: '#3b5bdb',
};
const mustLookLike = (f, field) => (FORMS[fieldName(field)] ? `${f} must look like ${FORMS[fieldName(field)]}.` : `${f} is not in the expected form.`);

const RULES = [
  [/^field required$/i, (f) => `${f} is required.`],
  [/^string should have at least 1 character$/i, (f) => `${f} is required.`],
  [/^string should have at least (\d+) characters?$/i, (f, n) => `${f} needs at least ${n} character${n === '1' ? '' : 's'}.`],
  [/^string should have at most (\d+) characters?$/i, (f, n) => `${f} can have at most ${n} characters.`],
  [/^string should match pattern/i, mustLookLike],
  [/^input should be greater than or equal to (\d+)/i, (f, n) => `${f} must be at least ${n}.`],
  [/^input should be less than or equal to (\d+)/i, (f, n) => `${f} must be at most ${n}.`],
  [/^input should be a valid (integer|number)/i, (f) => `${f} must be a number.`],
  [/^input should be a valid url/i, (f) => `${f} must be a web address, like https://www.example.com.`],
  [/not a valid email address/i, (f) => `${f} is not a valid e-mail address.`],
  [/^list should have at most (\d+) items?/i, (f, n) => `${f}: at most ${n} are allowed.`],
];

// A capitalised sentence ending in a full stop.
export function sentence(text) {
  const trimmed = String(text || '').trim();
  if (!trimmed) return '';
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

export function humanMessage(message, field) {
  const raw = String(message || '').replace(/^value error,\s*/i, '');
  if (field) {
    for (const [pattern, say] of RULES) {
      const match = raw.match(pattern);
      if (match) return match.length > 1 ? say(fieldWords(field), ...match.slice(1)) : say(fieldWords(field), field);
    }
  }
  return sentence(raw);
}
