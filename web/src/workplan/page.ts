// The work-plan page of the portal: the plan in its table layout with each
// activity's status, the accomplishment under the rule chosen, the live indicators of
// 4.2 and 4.3, the frozen meeting reports; for a signed-in lead or coordinator a form
// that submits a progress report with evidence (a link, an uploaded document) as a
// change set; for the Secretariat the submitted reports to approve or return, and the
// form that freezes a meeting's report.
import '../style.css';
import { Api, ApiError, type Session } from '../api';
import { announce, byId, clear, h } from '../dom';
import { onLanguageChange, startLanguage, t } from '../i18n';
import { codeLabel } from '../code-lists';
import { roleName } from '../login';
import { serviceRoot } from '../links';
import { planTable, rateTable, reportable, type Accomplishment, type WorkPlan } from './plan-view';
import { liveTable, type LiveIndicators } from './live-view';
import { pendingReport, reviewList, type PendingReport } from './review-view';

const STATUSES = ['not_started', 'ongoing', 'completed', 'delayed', 'discontinued'];
const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;  // the server's bound (kMaxEvidenceBytes)
const PROGRESS = 'workplan_progress';

type Refresh = () => Promise<void>;

async function show(api: Api, planId: string, rule: string, session: Session | null, refresh: Refresh): Promise<void> {
  const id = encodeURIComponent(planId);
  const [plan, rate, meetings, live] = await Promise.all([
    api.get<WorkPlan & { iatiReportingOrg?: string | null }>(`/workplans/${id}`),
    api.get<Accomplishment>(`/workplans/${id}/accomplishment?rule=${rule}`),
    api.get<{ meetings: Array<{ meeting: string; title: string; frozen: string; href: string; pdf: string }> }>(`/workplans/${id}/meetings`),
    api.get<LiveIndicators>(`/workplans/${id}/live-indicators`),
  ]);
  clear(byId('rates'), rateTable(rate));
  clear(byId('plan'), h('h2', {}, plan.title), planTable(plan, api.root));
  clear(byId('meetings'), h('h2', {}, t('workplan.meetings')),
    meetings.meetings.length === 0 ? h('p', {}, t('workplan.noMeeting'))
      : h('ul', {}, ...meetings.meetings.map((m) => h('li', {}, h('a', { href: `${m.href}?f=html` }, m.title), ` ${t('workplan.frozen', { date: m.frozen })} `, h('a', { href: m.pdf, class: 'pdf' }, t('workplan.pdf'))))));
  const plans = `${api.root}/workplans/${id}`;
  byId('meetings').append(h('p', { class: 'exports' }, `${t('workplan.exports')} `,
    h('a', { href: `${plans}/progress?f=csv` }, t('workplan.csv')), ' · ',
    plan.iatiReportingOrg ? h('a', { href: `${plans}/iati-activities`, class: 'iati' }, t('workplan.iati'))
      : h('span', { class: 'iati-missing' }, t('workplan.iatiMissing'))));
  clear(byId('live'), liveTable(live, `${plans}/live-indicators`));
  reportForm(api, plan, session);
  const secretariat = session !== null && (session.role === 'reviewer' || session.role === 'admin');
  byId('review').hidden = !secretariat;
  byId('freeze').hidden = !secretariat;
  if (secretariat) {
    await reviewSection(api, plan, refresh);
    freezeForm(api, plan, refresh);
  }
}

// The submitted progress reports of this plan, each to approve or return with a comment.
async function reviewSection(api: Api, plan: WorkPlan, refresh: Refresh): Promise<void> {
  const { changeSets } = await api.changeSets({ state: 'submitted', collection: PROGRESS, limit: '100' });
  const reports: PendingReport[] = [];
  for (const cs of changeSets) {
    const review = await api.review<{ changes: Array<{ after: { properties: Record<string, unknown> } | null }> }>(cs.id);
    const after = review.changes[0]?.after?.properties ?? {};
    if (after.work_plan === plan.id) reports.push(pendingReport(cs, after));
  }
  clear(byId('review'), reviewList(reports, (report, action, comment) => {
    if (action === 'reject' && !comment.trim()) {
      announce(t('workplan.review.commentNeeded'), 'error');
      return;
    }
    api.changeSetAction(report.changeSet, action, comment)
      .then(async () => {
        await refresh();
        announce(t(action === 'approve' ? 'workplan.review.approved' : 'workplan.review.returned', { id: report.changeSet }));
      })
      .catch((e) => announce(e instanceof ApiError ? e.message : String(e), 'error'));
  }));
}

// Freezing a meeting's report: what is approved for that meeting then is what it reported.
function freezeForm(api: Api, plan: WorkPlan, refresh: Refresh): void {
  const meeting = h('input', { id: 'freeze-meeting', name: 'meeting', required: true, placeholder: 'ASOMM3-19', pattern: '[A-Za-z0-9._+\\-]{1,64}' });
  const title = h('input', { id: 'freeze-title', name: 'title', placeholder: t('workplan.freeze.titlePlaceholder'), maxlength: 200 });
  const held = h('input', { id: 'freeze-held', name: 'held', type: 'date' });
  const form = h('form', { id: 'freeze-form' },
    h('h2', {}, t('workplan.freeze.title')),
    h('p', {}, t('workplan.freeze.explain')),
    h('label', { for: 'freeze-meeting' }, t('workplan.meeting')), meeting,
    h('label', { for: 'freeze-title' }, t('workplan.freeze.meetingTitle')), title,
    h('label', { for: 'freeze-held' }, t('workplan.freeze.held')), held,
    h('button', { type: 'submit', class: 'primary' }, t('workplan.freeze.button')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: Record<string, string> = { meeting: meeting.value };
    if (title.value) body.title = title.value;
    if (held.value) body.held = held.value;
    try {
      await api.request('POST', `/workplans/${encodeURIComponent(plan.id)}/meetings`, body);
      await refresh();
      announce(t('workplan.freeze.done', { meeting: body.meeting }));
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
  });
  clear(byId('freeze'), form);
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
  const file = h('input', { id: 'report-file', name: 'file', type: 'file', accept: 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg' });
  const country = session && session.role !== 'editor'
    ? h('input', { id: 'report-country', name: 'country', required: true, placeholder: 'IDN', maxlength: 3 }) : null;
  const form = h('form', { id: 'report' },
    h('h2', {}, t('workplan.report')),
    h('label', { for: 'report-activity' }, t('workplan.activity')), activity,
    h('label', { for: 'report-meeting' }, t('workplan.meeting')), meeting,
    h('label', { for: 'report-status' }, t('workplan.status')), status,
    h('label', { for: 'report-narrative' }, t('workplan.narrative')), narrative,
    h('label', { for: 'report-evidence' }, t('workplan.evidence')), evidence,
    h('label', { for: 'report-file' }, t('workplan.evidenceFile')), file,
    country ? h('label', { for: 'report-country' }, t('workplan.reportingState')) : null, country,
    h('button', { type: 'submit', class: 'primary' }, t('changeset.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: Record<string, unknown> = { meeting: meeting.value, status: status.value, narrative: narrative.value };
    const cited: Array<{ title: string; href: string }> = [];
    if (evidence.value) cited.push({ title: 'evidence', href: evidence.value });
    if (country) body.country = country.value.toUpperCase();
    const chosen = file.files?.[0];
    const activityPath = `/workplans/${encodeURIComponent(plan.id)}/activities/${encodeURIComponent(activity.value)}`;
    try {
      if (chosen) {
        if (chosen.size > MAX_EVIDENCE_BYTES) throw new Error(t('workplan.evidenceTooLarge'));
        // The document first (the server checks its type by content), then the report citing it.
        const q = new URLSearchParams({ title: chosen.name.slice(0, 200) });
        if (country) q.set('country', country.value.toUpperCase());
        const doc = await api.request<{ href: string; title: string }>('POST', `${activityPath}/evidence?${q}`, chosen,
          { 'Content-Type': chosen.type || 'application/octet-stream' });
        cited.push({ title: doc.title || chosen.name, href: doc.href });
      }
      if (cited.length) body.evidence = cited;
      const r = await api.request<{ changeSet: { id: number } }>('POST', `${activityPath}/progress`, body);
      file.value = '';
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
  const refresh = (): Promise<void> => show(api, choice.value, rule.value, session, refresh).catch((e) => announce(String(e), 'error'));
  choice.addEventListener('change', refresh);
  rule.addEventListener('change', refresh);
  onLanguageChange(() => { account(); void refresh(); });
  await refresh();
}

startLanguage(document.getElementById('language-slot'));
start().catch((e) => announce(String(e), 'error'));
