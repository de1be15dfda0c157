// The workspace after login: what the user's role may do, as tabs.
import type { Api } from '../api';
import type { PortalState } from '../state';
import type { MapView } from '../viewer/map-view';
import { MEMBERS } from '../members';
import { Drafts } from './drafts';
import { FeatureEditor } from './editor';
import { ChangeSetList, renderUpload } from './changesets';
import { ReviewPanel } from './review-panel';
import { renderUsers } from './users';
import { renderNeeds } from './needs';
import { renderNodes } from './nodes';
import { h, clear } from '../dom';
import { t } from '../i18n';
import { roleName } from '../login';

export class Workspace {
  readonly editor: FeatureEditor;
  private readonly review: ReviewPanel;
  private readonly changeSets: ChangeSetList;
  private readonly sections: Record<string, HTMLElement> = {};

  constructor(private readonly panel: HTMLElement, private readonly state: PortalState, view: MapView, private readonly api: Api) {
    for (const name of ['edit', 'mine', 'upload', 'needs', 'review', 'users', 'nodes']) this.sections[name] = h('section', { class: `ws-${name}`, id: `ws-${name}` });
    const drafts = new Drafts(api);
    this.editor = new FeatureEditor(this.sections.edit, state, view, api, drafts, () => this.changeSets.render());
    this.review = new ReviewPanel(this.sections.review, state, view, api, () => this.show('mine'));
    this.changeSets = new ChangeSetList(this.sections.mine, state, api, drafts, (c) => {
      this.show('review', false);
      void this.review.show(c.id);
    });
    state.on('session', () => {
      // Nothing of the previous user stays: their edit, their drafts, their review, the
      // lists drawn for them (a tab shown again draws its list anew, not the old one first).
      this.editor.reset();
      this.review.clearMap();
      for (const section of Object.values(this.sections)) clear(section);
      this.render();
    });
  }

  private tabs(): Array<[string, string]> {
    const role = this.state.session?.role;
    const tabs: Array<[string, string]> = [];
    if (role === 'reviewer' || role === 'admin') tabs.push(['review', t('workspace.review')]);
    tabs.push(['edit', t('workspace.edit')], ['mine', t('workspace.mine')], ['upload', t('workspace.upload')]);
    // The needs register (issue 18): every signed-in account submits; the expert team triages.
    tabs.push(['needs', t('workspace.needs')]);
    if (role === 'admin') tabs.push(['users', t('workspace.users')], ['nodes', t('workspace.nodes')]);
    return tabs;
  }

  private current = '';

  // `keep`: the tab shown stays (the labels drawn again in another language).
  render(keep = false): void {
    const s = this.state.session;
    if (!s) return clear(this.panel);
    const bar = h('div', { class: 'ws-tabs', role: 'tablist', 'aria-label': t('workspace.title') },
      ...this.tabs().map(([name, label]) => h('button', { type: 'button', role: 'tab', id: `ws-tab-${name}`, 'aria-controls': `ws-${name}`,
        onclick: () => this.show(name) }, label)));
    // Arrow keys move between the tabs (WAI-ARIA tabs pattern).
    bar.addEventListener('keydown', (e) => {
      const tabs = [...bar.querySelectorAll<HTMLButtonElement>('[role=tab]')];
      const i = tabs.indexOf(document.activeElement as HTMLButtonElement);
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!step || i < 0) return;
      e.preventDefault();
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      next.click();
    });
    clear(this.panel, h('h2', {}, t('workspace.title')),
      h('p', { class: 'hint' }, `${s.user} · ${roleName(s.role)}${s.country ? ` · ${s.country}` : ''}`), bar,
      ...this.tabs().map(([name]) => this.sections[name]),
      // An editor has no queue, but sees their own change sets in review form.
      this.tabs().some(([name]) => name === 'review') ? null : this.sections.review);
    const names = this.tabs().map(([name]) => name);
    this.show(keep && names.includes(this.current) ? this.current : names[0]);
  }

  // One change set in review (an editor's own, or a reviewer's to decide).
  openChangeSet(id: number): void {
    this.show('review', false);
    void this.review.show(id);
  }

  show(name: string, load = true): void {
    this.current = name;
    for (const [n, section] of Object.entries(this.sections)) {
      section.hidden = n !== name;
      section.setAttribute('role', 'tabpanel');
      section.setAttribute('aria-labelledby', `ws-tab-${n}`);
      const tab = document.getElementById(`ws-tab-${n}`);
      tab?.setAttribute('aria-selected', String(n === name));
      if (tab) tab.tabIndex = n === name ? 0 : -1;
    }
    if (name !== 'review') this.review.clearMap();
    if (!load) return;
    if (name === 'edit') this.editor.render();
    if (name === 'mine') void this.changeSets.render();
    if (name === 'upload') renderUpload(this.sections.upload, this.state, this.api, () => void this.changeSets.render());
    if (name === 'review') void this.review.queue();
    if (name === 'needs') void renderNeeds(this.sections.needs, this.api, this.state.session);
    if (name === 'users') void renderUsers(this.sections.users, this.api, MEMBERS);
    if (name === 'nodes') void renderNodes(this.sections.nodes, this.api);
  }
}
