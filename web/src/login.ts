// Logging in and out: the session cookie is set by the server (HttpOnly); the
// portal keeps only the CSRF token it answers, in memory.
import type { Api, Session } from './api';
import { ApiError } from './api';
import type { PortalState } from './state';
import { byId, clear, h, announce } from './dom';

export async function setUpLogin(api: Api, state: PortalState, session: Session | null): Promise<void> {
  const area = byId('account');
  const dialog = byId<HTMLDialogElement>('login-dialog');
  const form = byId<HTMLFormElement>('login-form');
  const error = byId('login-error');
  const render = () => {
    const s = state.session;
    if (s) {
      clear(area, h('span', { class: 'who' }, `${s.user} (${s.role}${s.country ? `, ${s.country}` : ''})`),
        h('button', { type: 'button', id: 'logout', onclick: async () => {
          try { await api.logout(); } catch { /* the session may have ended already */ }
          api.setSession(null);
          state.setSession(null);
          byId('login').focus();
          announce('Logged out');
        } }, 'Log out'));
    } else {
      clear(area, h('button', { type: 'button', id: 'login', class: 'primary', onclick: () => { error.textContent = ''; dialog.showModal(); } }, 'Log in'));
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
      announce(`Logged in as ${session.user}`);
    } catch (err) {
      error.textContent = err instanceof ApiError
        ? (err.status === 429 ? 'Too many failed logins: try again later.' : 'The user name or the password is wrong.')
        : String(err);
    }
  });
  byId('login-cancel').addEventListener('click', () => dialog.close());
  // Closed in any way (Escape too), the dialog keeps no password.
  dialog.addEventListener('close', () => form.reset());
  state.on('session', render);
  api.setSession(session);
  state.session = session;
  render();
}
