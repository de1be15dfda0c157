// Administrators watch the national nodes (issue 16): each node's status (its last
// run's), when it last ran and runs next, its errors, its last harvest report, and a
// button to harvest it now (the server's /admin/nodes API; nodes are added with
// `amis node add` or POST /admin/nodes).
import type { Api, HarvestRun, NationalNode } from '../api';
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

function errorsCell(node: NationalNode, run: HarvestRun | null): HTMLElement {
  const lines: string[] = [];
  if (node.failedRunsInARow > 0) lines.push(t('nodes.failedInARow', { count: node.failedRunsInARow }));
  if (run?.error) lines.push(run.error);
  for (const f of run?.failures.slice(0, 5) ?? []) lines.push(`${f.sourceId}: ${f.reason}`);
  if (!lines.length) return h('td', {}, t('nodes.noErrors'));
  return h('td', { class: 'error' }, h('ul', {}, ...lines.map((line) => h('li', {}, line))));
}

function reportText(run: HarvestRun | null): string {
  if (!run) return '—';
  return t('nodes.reportText', { seen: run.seen, added: run.added, updated: run.updated, unchanged: run.unchanged,
    withdrawn: run.withdrawn, failed: run.failed, seconds: run.seconds.toFixed(1) });
}

export async function renderNodes(panel: HTMLElement, api: Api): Promise<void> {
  let rows: Array<{ node: NationalNode; run: HarvestRun | null }>;
  try {
    const nodes = (await api.nodes()).nodes;
    rows = await Promise.all(nodes.map(async (node) => ({ node, run: (await api.nodeRuns(node.name, 1)).runs[0] ?? null })));
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
  const body = rows.map(({ node, run }) => h('tr', { 'data-node': node.name },
    h('th', { scope: 'row' }, node.name), h('td', {}, node.kind), h('td', {}, node.country),
    h('td', { class: `run-${run?.status ?? 'never'}` }, statusText(run)),
    h('td', {}, run?.finished || '—'), h('td', {}, nextRunText(node)),
    errorsCell(node, run), h('td', { class: 'report' }, reportText(run)),
    h('td', { class: 'actions' }, h('button', { type: 'button', 'aria-label': t('nodes.harvestLabel', { node: node.name }),
      onclick: () => harvest(node.name) }, t('nodes.harvest')))));
  const columns = ['nodes.name', 'nodes.kind', 'nodes.country', 'nodes.status', 'nodes.lastRun', 'nodes.nextRun',
    'nodes.errors', 'nodes.report'].map((key) => t(key));
  clear(panel, h('h3', {}, t('nodes.title', { count: rows.length })),
    rows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'nodes' },
      h('thead', {}, h('tr', {}, ...[...columns, ''].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, ...body))) : h('p', { class: 'hint' }, t('nodes.none')),
    h('button', { type: 'button', class: 'refresh', onclick: () => void again() }, t('nodes.refresh')));
}
