// Administrators watch the national nodes (issue 16): each node's status (its last
// run's), when it last ran and runs next, its errors, its last harvest report, and a
// button to harvest it now, one card per node (the server's /admin/nodes API; nodes are added with
// `amis node add` or POST /admin/nodes). An AMIS node's card shows its change feed's sync too, and
// when a gap or a conflict stopped it, buttons to retry (after resolving it by hand) or to skip the
// sequence that stopped it (kept in the sync report and the audit log).
import type { Api, HarvestRun, NationalNode, SyncState } from '../api';
import { ApiError } from '../api';
import { h, clear, announce } from '../dom';
import { t } from '../i18n';

const RUN_STATUS: Record<string, string> = { succeeded: 'nodes.succeeded', partial: 'nodes.partial', failed: 'nodes.failed' };

function statusText(run: HarvestRun | null): string {
  return run ? t(RUN_STATUS[run.status] ?? 'nodes.failed') : t('nodes.never');
}

function nextRunText(node: NationalNode): string {
  if (node.nextRun === null) return t('nodes.notScheduled');
  if (node.nextRun === 'as soon as possible') return t('nodes.asap');
  return node.nextRun;
}

// "at most 2 requests a second", or a minute below one a second ("30/min" as registered).
function rateLimitText(node: NationalNode): string {
  const rate = node.rateLimit;
  if (!rate) return t('nodes.noRateLimit');
  if (rate >= 1) return t('nodes.ratePerSecond', { count: Math.round(rate * 100) / 100 });
  return t('nodes.ratePerMinute', { count: Math.round(rate * 60 * 100) / 100 });
}

function errorsContent(node: NationalNode, run: HarvestRun | null): HTMLElement | string {
  const lines: string[] = [];
  if (node.failedRunsInARow > 0) lines.push(t('nodes.failedInARow', { count: node.failedRunsInARow }));
  if (run?.error) lines.push(run.error);
  for (const f of run?.failures.slice(0, 5) ?? []) lines.push(`${f.sourceId}: ${f.reason}`);
  return lines.length ? h('ul', {}, ...lines.map((line) => h('li', {}, line))) : t('nodes.noErrors');
}

function reportText(run: HarvestRun | null): string {
  if (!run) return '—';
  return t('nodes.reportText', { seen: run.seen, added: run.added, updated: run.updated, unchanged: run.unchanged,
    withdrawn: run.withdrawn, failed: run.failed, seconds: run.seconds.toFixed(1) });
}

function syncText(sync: SyncState): string {
  const r = sync.report;
  if (sync.state !== 'idle') return t(sync.state === 'running' ? 'nodes.syncRunning' : 'nodes.syncQueued', { node: sync.node });
  if (!r) return t('nodes.syncNever');
  if (r.status === 'synced') return t('nodes.syncSynced', { sequence: r.sequence });
  if (r.status === 'stopped') return t('nodes.syncStopped', { sequence: r.stoppedAt ?? 0 });
  if (r.status === 'skipped') return t('nodes.syncSkipped');
  return t('nodes.syncFailed');
}

function syncContent(sync: SyncState): HTMLElement {
  const r = sync.report;
  const lines = [syncText(sync)];
  if (r?.reason) lines.push(r.reason);
  if (r?.skipped) lines.push(t('nodes.syncSkippedBefore', { what: r.skipped }));
  return h('ul', {}, ...lines.map((line) => h('li', {}, line)));
}

type Row = { node: NationalNode; run: HarvestRun | null; sync: SyncState | null };

export async function renderNodes(panel: HTMLElement, api: Api): Promise<void> {
  let rows: Row[];
  try {
    const nodes = (await api.nodes()).nodes;
    rows = await Promise.all(nodes.map(async (node) => ({
      node,
      run: (await api.nodeRuns(node.name, 1)).runs[0] ?? null,
      sync: node.kind === 'amis' ? await api.nodeSync(node.name) : null,
    })));
  } catch (e) {
    return clear(panel, h('p', { class: 'error' }, (e as Error).message));
  }
  const again = () => renderNodes(panel, api);
  const harvest = async (name: string) => {
    try {
      const answer = await api.harvestNode(name);
      if ('queued' in answer) announce(t(answer.queued ? 'nodes.queued' : 'nodes.alreadyQueued', { node: name }));
      else announce(t('nodes.harvested', { node: name, status: statusText(answer) }));
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
    await again();
  };
  const sync = async (name: string, skip?: number) => {
    if (skip && !window.confirm(t('nodes.skipConfirm', { node: name, sequence: skip }))) return;
    try {
      await api.syncNode(name, skip);
      announce(t('nodes.syncQueued', { node: name }));
    } catch (e) {
      announce(e instanceof ApiError ? e.message : String(e), 'error');
    }
    await again();
  };
  // Retry and skip, for a sync that a gap or a conflict stopped.
  const syncButtons = (node: NationalNode, state: SyncState | null): HTMLElement[] => {
    const r = state?.report;
    if (!r || state?.state !== 'idle' || r.status !== 'stopped' || !r.stoppedAt) return [];
    const at = r.stoppedAt;
    return [
      h('button', { type: 'button', class: 'retry-sync', 'aria-label': t('nodes.retrySyncLabel', { node: node.name }),
        onclick: () => sync(node.name) }, t('nodes.retrySync')),
      h('button', { type: 'button', class: 'skip-sync', 'aria-label': t('nodes.skipChangeLabel', { node: node.name, sequence: at }),
        onclick: () => sync(node.name, at) }, t('nodes.skipChange', { sequence: at })),
    ];
  };
  // A card per node (the workspace is a narrow side panel): its facts as a description list.
  const card = ({ node, run, sync: state }: Row) => {
    const field = (key: string, name: string, content: HTMLElement | string, extra: Record<string, string> = {}) =>
      [h('dt', {}, t(key)), h('dd', { 'data-field': name, ...extra }, content)];
    const errors = errorsContent(node, run);
    return h('article', { class: 'node', 'data-node': node.name, 'aria-labelledby': `node-${node.name}` },
      h('h4', { id: `node-${node.name}` }, node.name),
      h('dl', {},
        ...field('nodes.kind', 'kind', node.kind), ...field('nodes.country', 'country', node.country),
        ...field('nodes.rateLimit', 'rateLimit', rateLimitText(node)),
        ...field('nodes.status', 'status', statusText(run), { class: `run-${run?.status ?? 'never'}` }),
        ...field('nodes.lastRun', 'lastRun', run?.finished || '—'), ...field('nodes.nextRun', 'nextRun', nextRunText(node)),
        ...field('nodes.errors', 'errors', errors, typeof errors === 'string' ? {} : { class: 'error' }),
        ...field('nodes.report', 'report', reportText(run)),
        ...(state ? field('nodes.sync', 'sync', syncContent(state), { class: `sync-${state.report?.status ?? 'never'}` }) : [])),
      h('button', { type: 'button', 'aria-label': t('nodes.harvestLabel', { node: node.name }), onclick: () => harvest(node.name) },
        t('nodes.harvest')),
      ...syncButtons(node, state));
  };
  clear(panel, h('h3', {}, t('nodes.title', { count: rows.length })),
    rows.length ? h('div', { class: 'nodes-list' }, ...rows.map(card)) : h('p', { class: 'hint' }, t('nodes.none')),
    h('button', { type: 'button', class: 'refresh', onclick: () => void again() }, t('nodes.refresh')));
}
