// The work-plan page of the portal: the plan in its table layout with each
// activity's status, the accomplishment under the rule chosen, the frozen meeting
// reports, and for a signed-in lead or coordinator a form that submits a progress
// report (a change set the Secretariat reviews).
import '../style.css';
import { Api, ApiError, type Session } from '../api';
import { announce, byId, clear, h } from '../dom';
import { onLanguageChange, startLanguage, t } from '../i18n';
import { codeLabel } from '../code-lists';
import { roleName } from '../login';
import { serviceRoot } from '../links';
import { planTable, rateTable, reportable, type Accomplishment, type WorkPlan } from './plan-view';

const STATUSES = ['not_started', 'ongoing', 'completed', 'delayed', 'discontinued'];

async function show(api: Api, planId: string, rule: string, session: Session | null): Promise<void> {
  const id = encodeURIComponent(planId);
  const [plan, rate, meetings] = await Promise.all([
    api.get<WorkPlan>(`/workplans/${id}`),
    api.get<Accomplishment>(`/workplans/${id}/accomplishment?rule=${rule}`),
    api.get<{ meetings: Array<{ meeting: string; title: string; frozen: string; href: string; pdf: string }> }>(`/workplans/${id}/meetings`),
  ]);
  clear(byId('rates'), rateTable(rate));
  clear(byId('plan'), h('h2', {}, plan.title), planTable(plan, api.root));
  clear(byId('meetings'), h('h2', {}, t('workplan.meetings')),
    meetings.meetings.length === 0 ? h('p', {}, t('workplan.noMeeting'))
      : h('ul', {}, ...meetings.meetings.map((m) => h('li', {}, h('a', { href: `${m.href}?f=html` }, m.title), ` ${t('workplan.frozen', { date: m.frozen })} `, h('a', { href: m.pdf, class: 'pdf' }, t('workplan.pdf'))))));
  const plans = `${api.root}/workplans/${id}`;
  byId('meetings').append(h('p', { class: 'exports' }, `${t('workplan.exports')} `,
    h('a', { href: `${plans}/progress?f=csv` }, t('workplan.csv')), ' · ',
    h('a', { href: `${plans}/iati-activities` }, t('workplan.iati'))));
  reportForm(api, plan, session);
}

function reportForm(api: Api, plan: WorkPlan, session: Session | null): void {
  const area = byId('report-form');
  const activities = session ? reportable(plan, session.role, session.country) : [];
  area.hidden = activities.length === 0;
  if (area.hidden) return;
  const activity = h('select', { id: 'report-activity', name: 'activity' },
    ...activities.map((a) => h('option', { value: a.id }, `${a.id} ${a.activity.slice(0, 60)}`)));
  const meeting = h('input', { id: 'report-meeting', name: 'meeting', required: true, placeholder: 'ASOMM3-19', pattern: '[A-Za-z0-9._+\\-]{1,64}' });
  const status = h('select', { id: 'report-status', name: 'status' }, ...STATUSES.map((s) => h('option', { value: s }, codeLabel('workplan_status', s))));
  const narrative = h('textarea', { id: 'report-narrative', name: 'narrative', rows: 4 });
  const evidence = h('input', { id: 'report-evidence', name: 'evidence', type: 'url', placeholder: t('workplan.evidencePlaceholder') });
  const country = session && session.role !== 'editor'
    ? h('input', { id: 'report-country', name: 'country', required: true, placeholder: 'IDN', maxlength: 3 }) : null;
  const form = h('form', { id: 'report' },
    h('h2', {}, t('workplan.report')),
    h('label', { for: 'report-activity' }, t('workplan.activity')), activity,
    h('label', { for: 'report-meeting' }, t('workplan.meeting')), meeting,
    h('label', { for: 'report-status' }, t('workplan.status')), status,
    h('label', { for: 'report-narrative' }, t('workplan.narrative')), narrative,
    h('label', { for: 'report-evidence' }, t('workplan.evidence')), evidence,
    country ? h('label', { for: 'report-country' }, t('workplan.reportingState')) : null, country,
    h('button', { type: 'submit', class: 'primary' }, t('changeset.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: Record<string, unknown> = { meeting: meeting.value, status: status.value, narrative: narrative.value };
    if (evidence.value) body.evidence = [{ title: 'evidence', href: evidence.value }];
    if (country) body.country = country.value.toUpperCase();
    try {
      const r = await api.request<{ changeSet: { id: number } }>('POST',
        `/workplans/${encodeURIComponent(plan.id)}/activities/${activity.value}/progress`, body);
      announce(t('workplan.submitted', { id: r.changeSet.id }));
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
  });
  clear(area, form);
}

async function start(): Promise<void> {
  const api = new Api(serviceRoot(location.href));
  const session = await api.session();
  api.setSession(session);
  const account = () => clear(byId('account'), session ? `${session.user} (${roleName(session.role)}${session.country ? `, ${session.country}` : ''})`
    : h('a', { href: './' }, t('workplan.logIn')));
  account();
  const { workPlans } = await api.get<{ workPlans: Array<{ id: string; title: string }> }>('/workplans');
  const choice = byId<HTMLSelectElement>('plan-choice');
  const rule = byId<HTMLSelectElement>('rule-choice');
  clear(choice, ...workPlans.map((p) => h('option', { value: p.id }, p.title)));
  if (workPlans.length === 0) {
    clear(byId('plan'), h('p', {}, t('workplan.none')));
    return;
  }
  const refresh = () => show(api, choice.value, rule.value, session).catch((e) => announce(String(e), 'error'));
  choice.addEventListener('change', refresh);
  rule.addEventListener('change', refresh);
  onLanguageChange(() => { account(); void refresh(); });
  await refresh();
}

startLanguage(document.getElementById('language-slot'));
start().catch((e) => announce(String(e), 'error'));
