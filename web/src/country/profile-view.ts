// A country's investment profile on the portal's country page: the published
// fields by group (value, source citation, as-of date, or the note that no citable
// public source was entered), and for those who may edit it the form generated
// from the same field list, which submits `PATCH /countries/{ISO3}` (a change set
// that a reviewer approves in the portal's review list) and shows the change set.
import { ApiError, type Api } from '../api';
import { h, clear } from '../dom';
import { t } from '../i18n';
import { countryName } from '../members';
import {
  displayFieldValue, fieldLabel, groupLabel, inputOf, profileEdit, valueInput,
  type FieldInput, type FieldProblem, type ProfileField, type ProfileGroup,
} from './profile-form';

export interface PatchAnswer { changeSet: { id: number; state: string; href: string }; published: boolean }

function fieldRow(f: ProfileField): HTMLElement {
  const filled = f.status === 'filled' && f.value !== null;
  return h('tr', { 'data-field': f.key, 'data-status': filled ? 'filled' : 'empty' },
    h('th', { scope: 'row' }, fieldLabel(f.key, f.label)),
    filled
      ? h('td', { class: 'profile-value' }, displayFieldValue(f))
      : h('td', { class: 'profile-value empty', colspan: 3 }, t('profileForm.noSource')),
    filled ? h('td', { class: 'profile-source' }, f.source ?? '') : null,
    filled ? h('td', { class: 'profile-asof' }, f.asOf ?? '') : null);
}

// The published profile, a table per group.
export function profileTables(groups: ProfileGroup[]): HTMLElement {
  return h('div', { class: 'profile-groups' }, ...groups.map((g) => h('section', { class: 'profile-group', 'data-group': g.key },
    h('h3', {}, groupLabel(g.key, g.label)),
    h('table', { class: 'profile-table' },
      h('thead', {}, h('tr', {}, ...[t('profileForm.field'), t('profileForm.value'), t('profileForm.source'), t('profileForm.asOf')]
        .map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, ...g.fields.map(fieldRow))))));
}

type Inputs = Record<keyof FieldInput, HTMLInputElement | HTMLTextAreaElement>;

// The edit form of one country's profile. What was typed is kept while the form is
// open (a language switch draws it again with the same inputs).
export class ProfileEditor {
  private iso3 = '';
  private groups: ProfileGroup[] = [];
  private draft = new Map<string, FieldInput>();
  private inputs = new Map<string, Inputs>();
  open = false;

  constructor(private readonly api: Api, private readonly target: HTMLElement,
    private readonly done: (answer: PatchAnswer, changed: string[]) => void, private readonly cancelled: () => void) {}

  start(iso3: string, groups: ProfileGroup[]): void {
    this.iso3 = iso3;
    this.groups = groups;
    this.draft = new Map(groups.flatMap((g) => g.fields).map((f) => [f.key, inputOf(f)]));
    this.open = true;
    this.render();
    this.target.querySelector<HTMLElement>('textarea, input')?.focus();
  }

  close(): void {
    this.open = false;
    this.inputs.clear();
    clear(this.target);
  }

  render(): void {
    if (!this.open) return;
    this.inputs.clear();
    const summary = h('div', { id: 'profile-form-problems', class: 'problems', role: 'alert' });
    summary.hidden = true;
    const form = h('form', { id: 'profile-form', class: 'profile-form', novalidate: true, 'aria-labelledby': 'profile-form-title' },
      h('h3', { id: 'profile-form-title' }, t('profileForm.title', { country: `${countryName(this.iso3)} (${this.iso3})` })),
      h('p', { class: 'hint' }, t('profileForm.hint')),
      summary,
      ...this.groups.map((g) => h('fieldset', { class: 'profile-group', 'data-group': g.key },
        h('legend', {}, groupLabel(g.key, g.label)), ...g.fields.map((f) => this.fieldEditor(f)))),
      h('p', { id: 'profile-form-error', class: 'error', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'profile-submit' }, t('profileForm.submit')),
        h('button', { type: 'button', id: 'profile-cancel', onclick: () => { this.close(); this.cancelled(); } }, t('common.cancel'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit(form, summary);
    });
    clear(this.target, form);
  }

  private fieldEditor(f: ProfileField): HTMLElement {
    const id = (part: string) => `pf-${f.key}-${part}`;
    const kept = this.draft.get(f.key) ?? inputOf(f);
    const how = valueInput(f.type);
    const value = how.tag === 'textarea'
      ? h('textarea', { id: id('value'), name: `${f.key}.value`, rows: 2, 'aria-describedby': id('error') }, kept.value)
      : h('input', { id: id('value'), name: `${f.key}.value`, type: how.type, inputmode: how.inputmode, value: kept.value,
        placeholder: f.type === 'url' ? 'https://' : f.type === 'year' ? '2009' : undefined, 'aria-describedby': id('error') });
    const source = h('input', { id: id('source'), name: `${f.key}.source`, type: 'text', value: kept.source, 'aria-describedby': id('error') });
    const asOf = h('input', { id: id('asOf'), name: `${f.key}.asOf`, type: 'date', value: kept.asOf, 'aria-describedby': id('error') });
    const inputs: Inputs = { value, source, asOf };
    this.inputs.set(f.key, inputs);
    const keep = () => this.draft.set(f.key, { value: value.value, source: source.value, asOf: asOf.value });
    for (const input of [value, source, asOf]) input.addEventListener('input', keep);
    const empty = () => {
      for (const input of [value, source, asOf]) input.value = '';
      keep();
    };
    return h('div', { class: 'profile-field', 'data-field': f.key, 'data-type': f.type },
      h('label', { for: id('value'), class: 'profile-field-label' }, fieldLabel(f.key, f.label), ' ', h('small', {}, t(`profileForm.type.${f.type}`))),
      value,
      h('div', { class: 'profile-citation' },
        h('span', {}, h('label', { for: id('source') }, t('profileForm.source')), source),
        h('span', {}, h('label', { for: id('asOf') }, t('profileForm.asOf')), asOf),
        h('button', { type: 'button', class: 'link', id: id('empty'), onclick: empty }, t('profileForm.empty'))),
      h('p', { id: id('error'), class: 'error field-error' }));
  }

  private showProblems(problems: FieldProblem[], summary: HTMLElement): void {
    for (const [key, inputs] of this.inputs) {
      const mine = problems.filter((p) => p.key === key);
      for (const [part, input] of Object.entries(inputs)) {
        if (mine.some((p) => p.part === part)) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
      const error = document.getElementById(`pf-${key}-error`);
      if (error) error.textContent = mine.map((p) => p.message).join(' ');
    }
    summary.hidden = problems.length === 0;
    clear(summary, problems.length ? h('p', {}, t('profileForm.problems', { count: new Set(problems.map((p) => p.key)).size })) : null,
      problems.length ? h('ul', {}, ...problems.map((p) => h('li', {}, h('a', { href: `#pf-${p.key}-${p.part}` }, p.message)))) : null);
  }

  private async submit(form: HTMLFormElement, summary: HTMLElement): Promise<void> {
    const edit = profileEdit(this.groups, this.draft);
    this.showProblems(edit.problems, summary);
    const error = form.querySelector<HTMLElement>('#profile-form-error')!;
    error.textContent = '';
    if (edit.problems.length) {
      const first = edit.problems[0];
      document.getElementById(`pf-${first.key}-${first.part}`)?.focus();
      return;
    }
    if (!edit.body) {
      error.textContent = t('profileForm.nothing');
      return;
    }
    const button = form.querySelector<HTMLButtonElement>('#profile-submit')!;
    button.disabled = true;
    try {
      const answer = await this.api.request<PatchAnswer>('PATCH', `/countries/${encodeURIComponent(this.iso3)}`, edit.body);
      this.close();
      this.done(answer, edit.changed);
    } catch (e) {
      error.textContent = e instanceof ApiError ? t('profileForm.refused', { message: e.message, status: e.status }) : String(e);
      button.disabled = false;
    }
  }
}

// What the page says after a submission: the change set, its state, the fields it changes.
export function submittedNote(answer: PatchAnswer, changed: string[], groups: ProfileGroup[]): HTMLElement {
  const labels = new Map(groups.flatMap((g) => g.fields).map((f) => [f.key, fieldLabel(f.key, f.label)]));
  const id = answer.changeSet.id;
  return h('div', { class: 'profile-submitted', 'data-changeset': id, 'data-state': answer.changeSet.state },
    h('p', {}, answer.published ? t('profileForm.published', { id }) : t('profileForm.submitted', { id })),
    h('p', {}, t('profileForm.changedFields', { fields: changed.map((k) => labels.get(k) ?? k).join(', ') })),
    h('p', {}, h('a', { href: `${answer.changeSet.href}?f=json`, id: 'profile-changeset-link' }, t('profileForm.changeSetLink', { id })),
      answer.published ? null : ' · ', answer.published ? null : h('a', { href: './index.html' }, t('profileForm.reviewLink'))));
}
