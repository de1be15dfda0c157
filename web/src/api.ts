// The AMIS server as the portal talks to it: JSON over fetch, with the session
// cookie and its CSRF token on every request that changes something.

// A read (GET or HEAD changes nothing) that a busy server refused with 503 is
// asked again after the server's Retry-After, at most `waitCap` seconds, up to
// `tries` times in all: a portal opening while the server sheds load still opens.
export async function fetchRead(url: string, init: RequestInit = {}, tries = 3, waitCap = 5): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, init);
    if (response.status !== 503 || attempt >= tries) return response;
    const after = Number(response.headers.get('Retry-After'));
    await response.body?.cancel();
    const seconds = Number.isFinite(after) && after > 0 ? Math.min(after, waitCap) : 1;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

export class ApiError extends Error {
  // `locator`: the element or parameter at fault, when the server names one.
  constructor(readonly status: number, readonly code: string, message: string, readonly locator = '') {
    super(message);
  }
}

export interface Session {
  user: string;
  role: 'admin' | 'reviewer' | 'editor' | string;
  country: string;
  csrfToken: string;
  expires: number;
}

export interface ChangeSet {
  id: number;
  collection: string;
  title: string;
  author: string;
  country: string;
  state: 'draft' | 'submitted' | 'approved' | 'rejected' | string;
  changes: number;
  comment: string;
  created: string;
  submitted: string | null;
  reviewed: string | null;
  reviewer: string | null;
}

export interface Account {
  name: string;
  role: string;
  country: string;
  disabled: boolean;
  [key: string]: unknown;
}

// A national node as /admin/nodes lists it (issue 16).
export interface NationalNode {
  name: string;
  url: string;
  kind: string;
  country: string;
  schedule: string;
  hasToken: boolean;
  rateLimit: number | null;  // requests a second AMIS sends the node at most; null: no limit
  nextRun: string | null;  // RFC 3339, 'as soon as possible', or null (harvested on request only)
  failedRunsInARow: number;
}

// The report of an AMIS node's latest sync of its change feed (/admin/nodes/{name}/sync).
export interface SyncReport {
  status: 'synced' | 'stopped' | 'failed' | 'skipped';
  finished: string;
  applied: number;
  sequence: number;
  stoppedAt: number | null;
  reason: string | null;
  skipped: string | null;
}

export interface SyncState {
  node: string;
  state: 'queued' | 'running' | 'idle';
  report: SyncReport | null;
}

// The report of one harvest run (/admin/nodes/{name}/runs).
export interface HarvestRun {
  id: number;
  status: 'succeeded' | 'partial' | 'failed';
  started: string;
  finished: string;
  seen: number;
  added: number;
  updated: number;
  unchanged: number;
  withdrawn: number;
  failed: number;
  failures: Array<{ sourceId: string; reason: string }>;
  seconds: number;
  error?: string;
}

export class Api {
  private csrf = '';

  constructor(readonly root: string) {}

  url(path: string): string {
    return `${this.root}${path}`;
  }

  setSession(session: Session | null): void {
    this.csrf = session?.csrfToken ?? '';
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) (init.headers as Record<string, string>)['X-CSRF-Token'] = this.csrf;
    if (body instanceof Blob || body instanceof ArrayBuffer) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const reads = method === 'GET' || method === 'HEAD';
    const response = reads ? await fetchRead(this.url(path), init) : await fetch(this.url(path), init);
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const e = (json ?? {}) as { code?: string; description?: string; title?: string; detail?: string; locator?: string };
      throw new ApiError(response.status, e.code ?? String(response.status),
        e.description ?? e.detail ?? e.title ?? (text.slice(0, 200) || response.statusText), e.locator ?? '');
    }
    return json as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  // --- sessions
  async session(): Promise<Session | null> {
    try {
      return await this.get<Session>('/session');
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) return null;
      throw e;
    }
  }

  login(user: string, password: string): Promise<Session> {
    return this.request<Session>('POST', '/login', { user, password });
  }

  logout(): Promise<unknown> {
    return this.request('POST', '/logout');
  }

  // --- change sets
  changeSets(query: Record<string, string> = {}): Promise<{ changeSets: ChangeSet[] }> {
    const q = new URLSearchParams(query).toString();
    return this.get(`/changesets${q ? `?${q}` : ''}`);
  }

  createChangeSet(collection: string, title: string): Promise<ChangeSet> {
    return this.request('POST', '/changesets', { collection, title });
  }

  changeSetAction(id: number, action: 'submit' | 'withdraw' | 'approve' | 'reject' | 'revert', comment = ''): Promise<ChangeSet> {
    return this.request('POST', `/changesets/${id}/${action}`, { comment });
  }

  review<T>(id: number): Promise<T> {
    return this.get(`/changesets/${id}/review?limit=1000`);
  }

  // --- features (OGC API - Features Part 4)
  // `etag`: the feature's ETag when it was read; the server refuses the write (412)
  // if the feature has changed since.
  writeFeature(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', collection: string, fid: number | null,
    body: unknown, changeSet: number, etag?: string): Promise<{ changeSet?: ChangeSet; published?: boolean }> {
    const path = `/collections/${encodeURIComponent(collection)}/items${fid === null ? '' : `/${fid}`}?changeset=${changeSet}`;
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/geo+json';
    if (etag) headers['If-Match'] = etag;
    return this.request(method, path, body, headers);
  }

  // A feature as GeoJSON with its ETag.
  async feature(collection: string, fid: number): Promise<{ doc: { id: number; properties: Record<string, unknown> }; etag?: string }> {
    const response = await fetch(this.url(`/collections/${encodeURIComponent(collection)}/items/${fid}?f=json`), { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, 'NotFound', `feature ${fid} could not be read`);
    return { doc: await response.json(), etag: response.headers.get('ETag') ?? undefined };
  }

  // --- catalogue records (OGC API - Records transactions, issue 15)
  // A record's GeoJSON with the ETag a replacement sends back as If-Match.
  async record(id: string): Promise<{ doc: Record<string, unknown>; etag?: string }> {
    const response = await fetch(this.url(`/collections/catalog/items/${encodeURIComponent(id)}?f=json`), { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, 'NotFound', `record ${id} could not be read`);
    return { doc: await response.json() as Record<string, unknown>, etag: response.headers.get('ETag') ?? undefined };
  }

  // Creates (id null), replaces or deletes a record: a GeoJSON record, or an ISO 19139
  // document (a string); the answer names the change set it waits in for review.
  writeRecord(method: 'POST' | 'PUT' | 'DELETE', id: string | null, body: Record<string, unknown> | string | undefined,
    etag?: string): Promise<{ changeSet: ChangeSet; published: boolean; records: string[] }> {
    const path = `/collections/catalog/items${id === null ? '' : `/${encodeURIComponent(id)}`}`;
    const headers: Record<string, string> = {};
    if (etag) headers['If-Match'] = etag;
    if (typeof body === 'string') {
      headers['Content-Type'] = 'application/xml';
      return this.request(method, path, new Blob([body]), headers);
    }
    if (body !== undefined) headers['Content-Type'] = 'application/geo+json';
    return this.request(method, path, body, headers);
  }

  upload(collection: string, file: Blob, options: { key?: string; mode?: string; country?: string; changeSet: number }): Promise<{
    changeSet: ChangeSet | null; summary: Record<string, number>; published: boolean;
  }> {
    const q = new URLSearchParams({ changeset: String(options.changeSet) });
    if (options.key) q.set('key', options.key);
    if (options.mode) q.set('mode', options.mode);
    if (options.country) q.set('country', options.country);
    return this.request('POST', `/collections/${encodeURIComponent(collection)}/upload?${q}`, file,
      { 'Content-Type': 'application/octet-stream' });
  }

  // A grid replacing a coverage's (issue 17): a submitted change set, or one
  // published at once for roles that publish directly.
  uploadGrid(coverage: string, file: Blob, name: string, title: string): Promise<{ changeSet: ChangeSet; published: boolean }> {
    const q = new URLSearchParams({ filename: name });
    if (title) q.set('title', title);
    return this.request('POST', `/collections/${encodeURIComponent(coverage)}/coverage/upload?${q}`, file,
      { 'Content-Type': 'application/octet-stream' });
  }

  // --- accounts (admins)
  users(): Promise<{ users: Account[] }> {
    return this.get('/admin/users');
  }

  addUser(user: { name: string; password: string; role: string; country?: string }): Promise<Account> {
    return this.request('POST', '/admin/users', user);
  }

  changeUser(name: string, change: Record<string, unknown>): Promise<Account> {
    return this.request('PATCH', `/admin/users/${encodeURIComponent(name)}`, change);
  }

  nodes(): Promise<{ nodes: NationalNode[] }> {
    return this.get('/admin/nodes');
  }

  nodeRuns(name: string, limit: number): Promise<{ runs: HarvestRun[] }> {
    return this.get(`/admin/nodes/${encodeURIComponent(name)}/runs?limit=${limit}`);
  }

  nodeSync(name: string): Promise<SyncState> {
    return this.get(`/admin/nodes/${encodeURIComponent(name)}/sync`);
  }

  // Queues a sync of an AMIS node's change feed; `skip` first passes over the change set (or
  // gap) that stopped it at that sequence.
  syncNode(name: string, skip?: number): Promise<{ node: string; queued: boolean }> {
    return this.request('POST', `/admin/nodes/${encodeURIComponent(name)}/sync`, skip ? { skip } : undefined);
  }

  // Queued for the background harvester ({queued}), or, without one, the run's report.
  harvestNode(name: string): Promise<{ node: string; queued: boolean } | HarvestRun> {
    return this.request('POST', `/admin/nodes/${encodeURIComponent(name)}/harvest`);
  }
}
