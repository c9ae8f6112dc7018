// An error shown where it happened: under the field that caused it (marked invalid, and
// described by the message), scrolled into view and announced (role=alert). An error that
// names no field of the form goes on the form's own error line, also in view.
import { h } from './dom.js';
import { fieldName } from './words.js';

export function clearErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    const described = input.dataset.describedBy;
    if (described) input.setAttribute('aria-describedby', described);
    else input.removeAttribute('aria-describedby');
  }
  for (const line of form.querySelectorAll('.form-error')) line.textContent = '';
}

function formLine(form) {
  return (
    form.querySelector('.form-error:not(.field-error)') ||
    form.appendChild(h('p', { class: 'form-error', role: 'alert' }))
  );
}

export function showError(form, error) {
  clearErrors(form);
  const name = fieldName(error.field);
  const input = name ? form.querySelector(`[name="${name}"]`) : null;
  if (!input) {
    const line = formLine(form);
    line.textContent = error.message;
    line.scrollIntoView({ block: 'nearest' });
    return;
  }
  const id = `${input.id || name}-error`;
  (input.closest('.field') || input.parentElement).append(
    h('p', { class: 'form-error field-error', id, role: 'alert', text: error.message }),
  );
  input.dataset.describedBy = input.getAttribute('aria-describedby') || '';
  input.setAttribute('aria-describedby', [input.dataset.describedBy, id].filter(Boolean).join(' '));
  input.setAttribute('aria-invalid', 'true');
  input.scrollIntoView({ block: 'center' });
  input.focus({ preventScroll: true });
}

// Runs a form's action on submit: errors go next to their field, the button waits meanwhile.
// The page's submit button starts disabled and is enabled here: a click before the module has
// loaded would otherwise submit the form natively (a GET carrying the password in the URL).
export function onSubmit(form, action) {
  const submit = form.querySelector('button[type=submit]');
  if (submit) submit.disabled = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    clearErrors(form);
    try {
      await action();
    } catch (error) {
      showError(form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}
