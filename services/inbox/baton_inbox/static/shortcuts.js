// Single-key shortcuts of the inbox, listed under "?". They act only when focus is not in a
// text field, so typing a reply never triggers one.
const TYPING = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';

export function installShortcuts({ dialog, button, actions }) {
  const show = () => {
    if (!dialog.open) dialog.showModal();
  };
  button.addEventListener('click', show);
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest(TYPING)) return;
    if (document.querySelector('dialog[open]')) return;
    if (event.key === '?') {
      event.preventDefault();
      show();
      return;
    }
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
