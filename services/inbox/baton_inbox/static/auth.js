// Log in, sign up, accept an invite, reset a password. Each ends in a cookie session
// (POST /v1/auth/session), so the token never sits in script-readable storage.
import { api } from './api.js';
import { onSubmit } from './formerror.js';

const $ = (id) => document.getElementById(id);
// Only while nothing has focus: someone who clicked into a field before this module ran (a
// slow load) keeps it, rather than typing on into the field we would move them to.
const focusFirst = (id) => {
  if (!document.activeElement || document.activeElement === document.body) $(id).focus();
};
const linkToken = () => new URLSearchParams(window.location.hash.slice(1)).get('token');

function nextPage() {
  const next = new URLSearchParams(window.location.search).get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

async function openSession(email, password) {
  await api('POST', '/v1/auth/session', { email, password });
  window.location.assign(nextPage());
}

const pages = {
  login() {
    const notice = new URLSearchParams(window.location.search).get('notice');
    if (notice === 'password-changed') {
      $('notice').textContent = 'Your password is changed. Log in with the new one.';
      $('notice').hidden = false;
    }
    onSubmit($('form'), () => openSession($('email').value.trim(), $('password').value));
    focusFirst('email');
  },

  signup() {
    onSubmit($('form'), async () => {
      const body = {
        account_name: $('account_name').value.trim(),
        email: $('email').value.trim(),
        password: $('password').value,
      };
      await api('POST', '/v1/accounts', body);
      $('form').hidden = true;
      $('intro').hidden = true;
      $('notice').textContent = `Check your e-mail: we sent a link to ${body.email}. Open it to create your inbox.`;
      $('notice').hidden = false;
    });
    focusFirst('account_name');
  },

  signupConfirm() {
    const token = linkToken();
    if (!token) {
      $('form').hidden = true;
      $('intro').textContent = 'This page needs the link from your sign-up e-mail.';
      $('intro').setAttribute('role', 'alert');
      return;
    }
    onSubmit($('form'), async () => {
      const password = $('password').value;
      const created = await api('POST', '/v1/accounts/confirm', { token, password });
      await openSession(created.email, password);
    });
    focusFirst('password');
  },

  async invite() {
    const token = linkToken();
    try {
      if (!token) throw new Error('This page needs the link from your invitation e-mail.');
      const info = await api('POST', '/v1/invites/lookup', { token });
      $('title').textContent = `Join ${info.account_name}`;
      $('intro').textContent = `${info.invited_by} invited you to the ${info.account_name} inbox as ${info.role}.`;
      $('email').value = info.email;
      $('form').hidden = false;
      focusFirst('name');
      onSubmit($('form'), async () => {
        const password = $('password').value;
        await api('POST', '/v1/invites/accept', { token, name: $('name').value.trim(), password });
        await openSession(info.email, password);
      });
    } catch (error) {
      $('intro').textContent = `${error.message} Ask a teammate for a new invitation.`;
      $('intro').setAttribute('role', 'alert');
    }
  },

  reset() {
    const token = linkToken();
    if (token) {
      $('request-form').hidden = true;
      $('confirm-form').hidden = false;
      focusFirst('password');
      onSubmit($('confirm-form'), async () => {
        await api('POST', '/v1/auth/password-reset/confirm', { token, password: $('password').value });
        window.location.assign('/login?notice=password-changed');
      });
      return;
    }
    onSubmit($('request-form'), async () => {
      await api('POST', '/v1/auth/password-reset', { email: $('email').value.trim() });
      $('request-form').hidden = true;
      $('notice').textContent = 'If this address has a login, a link to reset its password is on its way.';
      $('notice').hidden = false;
    });
    focusFirst('email');
  },
};

pages[document.body.dataset.page]();
// A link from an e-mail opened over this very page changes only the #token: start over.
window.addEventListener('hashchange', () => window.location.reload());
