// Administrators manage accounts: the list, a new account, disabling and enabling
// (the server's /admin/users API; roles and countries change there or on the CLI).
import type { Api, Account } from '../api';
import { ApiError } from '../api';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';
import { roleName } from '../login';
import { countryName } from '../members';

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
    ...countries.map((c) => h('option', { value: c.iso3, selected: c.iso3 === selected }, `${countryName(c.iso3, countries)} (${c.iso3})`))];
  const rows = users.map((u) => h('tr', { 'data-user': u.name },
    h('td', {}, u.name), h('td', {}, roleName(u.role)), h('td', {}, String(u.country ?? '')),
    h('td', {}, u.disabled ? t('users.disabled') : t('users.active')),
    h('td', { class: 'actions' }, h('button', { type: 'button', 'aria-label': t(u.disabled ? 'users.enableLabel' : 'users.disableLabel', { user: u.name }),
      onclick: () => act(u.name, { disabled: !u.disabled }, t(u.disabled ? 'users.enabledAnnounced' : 'users.disabledAnnounced', { user: u.name })) },
    u.disabled ? t('users.enable') : t('users.disable')))));
  const name = h('input', { id: 'user-name', required: true, autocomplete: 'off', pattern: '[A-Za-z0-9._@\\-]{3,64}' });
  const password = h('input', { id: 'user-password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' });
  const role = h('select', { id: 'user-role' }, ...ROLES.map((r) => h('option', { value: r }, roleName(r))));
  const country = h('select', { id: 'user-country' }, ...countryOptions());
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'add-user', 'aria-label': t('users.new') },
    h('div', { class: 'field' }, h('label', { for: 'user-name' }, t('login.user')), name),
    h('div', { class: 'field' }, h('label', { for: 'user-password' }, t('users.password')), password),
    h('div', { class: 'field' }, h('label', { for: 'user-role' }, t('users.role')), role),
    h('div', { class: 'field' }, h('label', { for: 'user-country' }, t('users.country')), country),
    error, h('button', { type: 'submit', class: 'primary' }, t('users.add')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.addUser({ name: name.value, password: password.value, role: role.value, ...(country.value ? { country: country.value } : {}) });
      announce(t('users.added', { user: name.value }));
      await again();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  clear(panel, h('h3', {}, t('users.title', { count: users.length })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'users' },
      h('thead', {}, h('tr', {}, ...[t('users.name'), t('users.role'), t('users.countryColumn'), t('users.state'), ''].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, ...rows))),
    h('h3', {}, t('users.new')), form);
}
