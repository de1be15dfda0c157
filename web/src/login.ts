// Logging in and out: the session cookie is set by the server (HttpOnly); the
// portal keeps only the CSRF token it answers, in memory.
import type { Api, Session } from './api';
import { ApiError } from './api';
import type { PortalState } from './state';
import { byId, clear, h, announce } from './dom';
import { onLanguageChange, t } from './i18n';

// The login dialog, made once for the page (the map portal's and the country page's).
export function loginDialog(): HTMLDialogElement {
  const made = document.getElementById('login-dialog');
  if (made) return made as HTMLDialogElement;
  const label = (key: string) => ({ 'data-i18n': key });
  const dialog = h('dialog', { id: 'login-dialog', 'aria-labelledby': 'login-title' },
    h('form', { id: 'login-form', method: 'dialog' },
      h('h2', { id: 'login-title', ...label('login.title') }, t('login.title')),
      h('p', { class: 'hint', ...label('login.hint') }, t('login.hint')),
      h('label', { for: 'login-user', ...label('login.user') }, t('login.user')),
      h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true }),
      h('label', { for: 'login-password', ...label('login.password') }, t('login.password')),
      h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
      h('p', { id: 'login-error', class: 'error', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', ...label('login.submit') }, t('login.submit')),
        h('button', { type: 'button', id: 'login-cancel', ...label('common.cancel') }, t('common.cancel')))));
  document.body.append(dialog);
  return dialog;
}

// A role as the reader's language names it.
export function roleName(role: string): string {
  const key = `role.${role}`;
  const name = t(key);
  return name === key ? role : name;
}

export async function setUpLogin(api: Api, state: PortalState, session: Session | null): Promise<void> {
  const area = byId('account');
  const dialog = loginDialog();
  const form = byId<HTMLFormElement>('login-form');
  const error = byId('login-error');
  const render = () => {
    const s = state.session;
    if (s) {
      clear(area, h('span', { class: 'who' }, `${s.user} (${roleName(s.role)}${s.country ? `, ${s.country}` : ''})`),
        h('button', { type: 'button', id: 'logout', onclick: async () => {
          try { await api.logout(); } catch { /* the session may have ended already */ }
          api.setSession(null);
          state.setSession(null);
          byId('login').focus();
          announce(t('login.loggedOut'));
        } }, t('login.logout')));
    } else {
      clear(area, h('button', { type: 'button', id: 'login', class: 'primary', onclick: () => { error.textContent = ''; dialog.showModal(); } }, t('login.submit')));
    }
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    try {
      const session = await api.login(String(data.get('user')), String(data.get('password')));
      api.setSession(session);
      dialog.close();
      state.setSession(session);
      byId('logout').focus();
      announce(t('login.loggedIn', { user: session.user }));
    } catch (err) {
      error.textContent = err instanceof ApiError
        ? (err.status === 429 ? t('login.tooMany') : t('login.wrong'))
        : String(err);
    }
  });
  byId('login-cancel').addEventListener('click', () => dialog.close());
  // Closed in any way (Escape too), the dialog keeps no password.
  dialog.addEventListener('close', () => form.reset());
  state.on('session', render);
  onLanguageChange(render);
  api.setSession(session);
  state.session = session;
  render();
}
