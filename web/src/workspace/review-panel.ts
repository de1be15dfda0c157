// The reviewers' queue, and one change set in review: its changes before and
// after on the map and in a table, with its problems; approve, or reject with a
// comment.
import GeoJSON from 'ol/format/GeoJSON';
import VectorLayer from 'ol/layer/Vector';
import VectorSource from 'ol/source/Vector';
import { createEmpty, extend, isEmpty } from 'ol/extent';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import type { Api, ChangeSet } from '../api';
import { ApiError } from '../api';
import type { MapView } from '../viewer/map-view';
import type { PortalState } from '../state';
import { diffRows, featureLabel, problemText, profileDiffRows, type ReviewChange } from '../review';
import { PROFILE_COLLECTION } from '../country/profile-form';
import { stateBadge } from './changesets';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';

const geojson = new GeoJSON({ featureProjection: 'EPSG:3857', dataProjection: 'EPSG:4326' });

function style(colour: string, dash?: number[]): Style {
  return new Style({
    image: new Circle({ radius: 7, fill: new Fill({ color: `${colour}88` }), stroke: new Stroke({ color: colour, width: 2, lineDash: dash }) }),
    stroke: new Stroke({ color: colour, width: 2.5, lineDash: dash }),
    fill: new Fill({ color: `${colour}22` }),
  });
}

interface Review {
  changeSet: ChangeSet;
  changes: ReviewChange[];
  numberOfChanges: number;
  changesWithProblems: number;
}

export class ReviewPanel {
  private readonly before = new VectorLayer({ source: new VectorSource(), style: style('#c0392b', [6, 4]), zIndex: 950 });
  private readonly after = new VectorLayer({ source: new VectorSource(), style: style('#1e8449'), zIndex: 951 });

  // `back`: where an editor returns from their own change set.
  constructor(private readonly panel: HTMLElement, private readonly state: PortalState, private readonly view: MapView,
    private readonly api: Api, private readonly back: () => void) {
    view.map.addLayer(this.before);
    view.map.addLayer(this.after);
  }

  clearMap(): void {
    ++this.shown;
    this.before.getSource()?.clear();
    this.after.getSource()?.clear();
  }

  async queue(): Promise<void> {
    this.clearMap();
    let sets: ChangeSet[] = [];
    try {
      sets = (await this.api.changeSets({ state: 'submitted', limit: '100' })).changeSets;
    } catch (e) {
      return clear(this.panel, h('p', { class: 'error' }, (e as Error).message));
    }
    clear(this.panel, h('h3', {}, t('review.queue', { count: sets.length })),
      sets.length ? h('ul', { class: 'queue' }, ...sets.map((c) => h('li', { 'data-changeset': c.id },
        h('button', { type: 'button', class: 'link', onclick: () => this.show(c.id) },
          `#${c.id} ${c.title}`), h('small', {}, ` ${c.collection} · ${c.author} (${c.country || t('review.allCountries')}) · ${t('changeset.changes', { count: c.changes })}`))))
        : h('p', { class: 'hint' }, t('review.empty')));
  }

  private shown = 0; // the latest change set asked for; a slower earlier answer is dropped
  private types: Map<string, string> | undefined;

  // The country profiles' field types by key, in the field list's order (for their diff).
  private async profileTypes(): Promise<Map<string, string>> {
    if (this.types) return this.types;
    try {
      const { groups } = await this.api.get<{ groups: Array<{ fields: Array<{ key: string; type: string }> }> }>('/countries/fields');
      this.types = new Map(groups.flatMap((g) => g.fields).map((f) => [f.key, f.type]));
    } catch {
      return new Map(); // drawn as text, in the document's order
    }
    return this.types;
  }

  async show(id: number): Promise<void> {
    const mine = ++this.shown;
    let review: Review;
    try {
      review = await this.api.review<Review>(id);
    } catch (e) {
      return announce((e as Error).message, 'error');
    }
    const types = review.changeSet.collection === PROFILE_COLLECTION ? await this.profileTypes() : undefined;
    if (mine !== this.shown || this.panel.hidden) return;
    const c = review.changeSet;
    const layer = this.state.layer(c.collection)?.info;
    // A catalogue record's change is named by the record's title.
    const nameProperty = c.collection === 'catalog' ? 'title' : layer?.roles.name;
    this.clearMap();
    const identified = document.getElementById('identify');
    if (identified) identified.hidden = true;
    const extent = createEmpty();
    for (const change of review.changes) {
      for (const [which, layerOf] of [['before', this.before], ['after', this.after]] as const) {
        const doc = change[which];
        if (!doc?.geometry) continue;
        const f = geojson.readFeature(doc) as import('ol/Feature').default;
        layerOf.getSource()?.addFeature(f);
        const g = f.getGeometry();
        if (g) extend(extent, g.getExtent());
      }
    }
    if (!isEmpty(extent)) this.view.map.getView().fit(extent, { maxZoom: 11, padding: [80, 80, 80, 80], duration: 300 });
    const rows = types ? profileDiffRows(review.changes, types) : diffRows(review.changes, nameProperty);
    const problems = review.changes.flatMap((ch) => ch.problems.map((p) => `${featureLabel(ch, nameProperty)}: ${problemText(p)}`));
    const mayDecide = this.state.session && this.state.session.role !== 'editor' && c.state === 'submitted' &&
      (c.author !== this.state.session.user || this.state.session.role === 'admin');
    const comment = h('textarea', { id: 'review-comment', rows: 3 });
    const error = h('p', { class: 'error', role: 'alert' });
    clear(this.panel,
      h('div', { class: 'panel-head' }, h('h3', {}, t('review.changeSet', { id: c.id, title: c.title })),
        h('button', { type: 'button', onclick: () => (this.state.session?.role === 'editor' ? this.back() : this.queue()) }, t('common.back'))),
      h('p', {}, stateBadge(c.state), ` ${c.collection} · ${t('review.by', { author: c.author })} · ${t('changeset.changes', { count: review.numberOfChanges })}`),
      h('p', { class: 'legend-row' }, h('span', { class: 'swatch before' }), ` ${t('review.before')} `, h('span', { class: 'swatch after' }), ` ${t('review.after')}`),
      problems.length ? h('div', { class: 'problems', role: 'note' }, h('strong', {}, t('review.problems')), h('ul', {}, ...problems.map((p) => h('li', {}, p)))) : null,
      h('div', { class: 'table-scroll' }, h('table', { class: 'diff' },
        h('thead', {}, h('tr', {}, ...[t('review.feature'), t('review.property'), t('review.beforeColumn'), t('review.afterColumn')].map((title) => h('th', { scope: 'col' }, title)))),
        h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', {}, r.feature, h('br'), h('small', {}, r.operation)), h('td', {}, r.property),
          h('td', { class: 'before' }, r.before), h('td', { class: 'after' }, r.after)))))),
      review.changes.length < review.numberOfChanges ? h('p', { class: 'hint' }, t('review.firstShown', { count: review.changes.length })) : null,
      mayDecide ? h('div', { class: 'decide' },
        h('label', { for: 'review-comment' }, t('review.comment')), comment, error,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => this.decide(c, 'approve', comment.value, error) }, t('review.approve')),
          h('button', { type: 'button', class: 'danger', onclick: () => this.decide(c, 'reject', comment.value, error) }, t('review.reject')))) : null);
    announce(t('review.announced', { id: c.id, differences: rows.length, problems: problems.length }));
  }

  private async decide(c: ChangeSet, action: 'approve' | 'reject', comment: string, error: HTMLElement): Promise<void> {
    if (action === 'reject' && !comment.trim()) {
      error.textContent = t('review.sayWhy');
      return;
    }
    try {
      await this.api.changeSetAction(c.id, action, comment);
      announce(t(action === 'approve' ? 'review.approved' : 'review.rejected', { id: c.id }));
      if (action === 'approve') this.state.dataChanged();
      await this.queue();
    } catch (e) {
      error.textContent = e instanceof ApiError ? `${e.message} (${e.status})` : String(e);
    }
  }
}
