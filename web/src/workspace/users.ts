// Administrators manage accounts: the list, a new account, disabling and enabling
// (the server's /admin/users API; roles and countries change there or on the CLI).
import type { Api, Account } from '../api';
import { ApiError } from '../api';
import { h, clear, announce } from '../dom';

const ROLES = ['editor', 'reviewer', 'admin'];

export async function renderUsers(panel: HTMLElement, api: Api, countries: Array<{ iso3: string; name: string }>): Promise<void> {
  let users: Account[] = [];
  try {
    users = (await api.users()).users;
  } catch (e) {
    return clear(panel, h('p', { class: 'error' }, (e as Error).message));
  }
  const again = () => renderUsers(panel, api, countries);
  const act = async (name: string, change: Record<string, unknown>, message: string) => {
    try {
      await api.changeUser(name, change);
      announce(message);
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
    await again();
  };
  const countryOptions = (selected?: string) => [h('option', { value: '' }, '—'),
    ...countries.map((c) => h('option', { value: c.iso3, selected: c.iso3 === selected }, `${c.name} (${c.iso3})`))];
  const rows = users.map((u) => h('tr', { 'data-user': u.name },
    h('td', {}, u.name), h('td', {}, u.role), h('td', {}, String(u.country ?? '')),
    h('td', {}, u.disabled ? 'disabled' : 'active'),
    h('td', { class: 'actions' }, h('button', { type: 'button', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.name}`, onclick: () => act(u.name, { disabled: !u.disabled }, `${u.name} ${u.disabled ? 'enabled' : 'disabled'}`) },
      u.disabled ? 'Enable' : 'Disable'))));
  const name = h('input', { id: 'user-name', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._@\\-]{3,64}' });
  const password = h('input', { id: 'user-password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const role = h('select', { id: 'user-role' }, ...ROLES.map((r) => h('option', { value: r }, r)));
  const country = h('select', { id: 'user-country' }, ...countryOptions());
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'add-user', 'aria-label': 'New account' },
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, 'User name'), name),
    h('div', { class: 'field' }, h('label', { for: 'user-password' }, 'Password (12 characters or more)'), password),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, 'Role'), role),
    h('div', { class: 'field' }, h('label', { for: 'user-country' }, 'Country (editors)'), country),
    error, h('button', { type: 'submit', class: 'primary' }, 'Add account'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.addUser({ name: name.value, password: password.value, role: role.value, ...(country.value ? { country: country.value } : {}) });
      announce(`Account ${name.value} added`);
      await again();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  clear(panel, h('h3', {}, `Accounts (${users.length})`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'users' },
      h('thead', {}, h('tr', {}, ...['Name', 'Role', 'Country', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, ...rows))),
    h('h3', {}, 'New account'), form);
}
