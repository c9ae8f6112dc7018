// The team page: teammates, invites by e-mail, removal (owner and admins only).
import { api, signedIn } from './api.js';
import { h } from './dom.js';
import { onSubmit } from './formerror.js';

const $ = (id) => document.getElementById(id);

function fail(error) {
  $('error').textContent = error.message;
}

async function load(me) {
  const manager = ['owner', 'admin'].includes(me.staff.role);
  const { staff } = await api('GET', '/v1/staff');
  $('staff').replaceChildren(
    ...staff.map((member) =>
      h(
        'tr',
        {},
        h('td', { text: member.id === me.staff.id ? `${member.name} (you)` : member.name }),
        h('td', { text: member.email }),
        h('td', { text: member.role }),
        h(
          'td',
          {},
          manager && member.role !== 'owner' && member.id !== me.staff.id
            ? h('button', {
                type: 'button',
                text: 'Remove',
                'aria-label': `Remove ${member.name}`,
                onclick: () => remove(me, member),
              })
            : null,
        ),
      ),
    ),
  );
  $('manage').hidden = !manager;
  if (!manager) return;
  const { invites } = await api('GET', '/v1/invites');
  $('invites').replaceChildren(
    ...invites.map((invite) =>
      h(
        'tr',
        {},
        h('td', { text: invite.email }),
        h('td', { text: invite.role }),
        h('td', { text: invite.invited_by }),
        h('td', { text: new Date(invite.expires_at).toLocaleString() }),
        h(
          'td',
          {},
          h('button', {
            type: 'button',
            text: 'Revoke',
            'aria-label': `Revoke the invite for ${invite.email}`,
            onclick: async () => {
              await api('DELETE', `/v1/invites/${encodeURIComponent(invite.id)}`).catch(fail);
              load(me);
            },
          }),
        ),
      ),
    ),
  );
}

async function remove(me, member) {
  if (!window.confirm(`Remove ${member.name} from the team? Their threads become unassigned.`)) return;
  await api('DELETE', `/v1/staff/${encodeURIComponent(member.id)}`).catch(fail);
  load(me);
}

async function main() {
  const me = await signedIn(fail);
  if (!me) return;
  $('account-name').textContent = `${me.account.name} · Team`;
  $('me').textContent = me.staff.name;
  onSubmit($('invite-form'), async () => {
    const email = $('invite-email').value.trim();
    $('invite-notice').hidden = true;
    await api('POST', '/v1/invites', { email, role: $('invite-role').value });
    $('invite-notice').textContent = `Invitation sent to ${email}.`;
    $('invite-notice').hidden = false;
    $('invite-email').value = '';
    $('error').textContent = '';
    load(me);
  });
  load(me).catch(fail);
}

main();
